/**
 * Comparison (c), the naive durable pipeline's ingress, as the usual tutorials build it: Fastify,
 * the raw body kept for an HMAC check, `SET NX` per event as the dedupe, `queue.add` per event,
 * then 200. No lanes, no atomicity between the dedupe mark and the job, no batching.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { Queue } from "bullmq";
import Fastify from "fastify";
import { Redis } from "ioredis";

const secret = process.env.LINE_CHANNEL_SECRET ?? "";
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  maxRetriesPerRequest: 1,
});
const prefix = process.env.QUEUE_PREFIX ?? "naive";
const queue = new Queue("line-events", { connection: redis, prefix });

const app = Fastify();
app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) =>
  done(null, body),
);
app.post("/webhook", async (request, reply) => {
  const raw = request.body as Buffer;
  const expected = createHmac("sha256", secret).update(raw).digest();
  const given = Buffer.from(String(request.headers["x-line-signature"] ?? ""), "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return reply.code(401).send({ ok: false });
  const body = JSON.parse(raw.toString("utf8")) as {
    destination: string;
    events: Array<{ webhookEventId: string }>;
  };
  for (const event of body.events) {
    const fresh = await redis.set(
      `${prefix}:seen:${event.webhookEventId}`,
      "1",
      "EX",
      86_400,
      "NX",
    );
    if (fresh) await queue.add("event", { event }, { removeOnComplete: true, attempts: 3 });
  }
  return reply.code(200).send({ ok: true });
});
app.get("/healthz", async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
