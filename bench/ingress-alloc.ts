/**
 * `node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 bench/ingress-alloc.ts`:
 * bytes of JS heap allocated per webhook (one text event, as in the bench) by each stage of the
 * ingress, in this process: the webhook handler alone (verify + parse + timeout; its enqueue a
 * no-op), and the enqueuer into a real Redis (BullMQ job, lane script, MULTI). The young
 * generation is made large enough that no GC runs while a stage is measured (checked), so the
 * growth of the used heap is what the stage allocated.
 */
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { createWebhookHandler } from "@linefleet/ingress";
import { createEventEnqueuer, createProducerConnection, redisKeys } from "@linefleet/store";
import { startLocalRedisServer } from "@linefleet/test-support";
import { parseEnvelope } from "@linefleet/webhook";
import { benchWebhook, CHANNEL_SECRET } from "./lib.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc (see the header)");
const calls = 2_000;
const collections: number[] = []; // start times of every GC
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push(entry.startTime);
}).observe({ entryTypes: ["gc"] });

/** Heap bytes allocated per call of `stage`, or NaN when a GC ran meanwhile. */
async function perCall(
  stage: (n: number) => Promise<unknown>,
  base: number,
  count = calls,
): Promise<number> {
  for (let n = 0; n < 200; n++) await stage(base - n - 1); // warm up
  gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  const start = performance.now();
  const before = getHeapStatistics().used_heap_size;
  for (let n = 0; n < count; n++) await stage(base + n);
  const after = getHeapStatistics().used_heap_size;
  const end = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the gc observer report
  const clean = !collections.some((at) => at >= start && at <= end);
  return clean ? (after - before) / count : Number.NaN;
}

const bodies = Array.from({ length: 3 * calls + 1_000 }, (_, n) => {
  const { body, headers } = benchWebhook(n, 1_000);
  return { rawBody: Buffer.from(body), signature: headers["x-line-signature"] };
});
const request = (n: number) => bodies[n] ?? { rawBody: Buffer.alloc(0), signature: undefined };

const handle = createWebhookHandler({
  channelSecret: CHANNEL_SECRET,
  enqueueTimeoutMs: 1_000,
  enqueue: async () => {},
});
const redis = await startLocalRedisServer();
const connection = createProducerConnection(redis.url);
const enqueuer = createEventEnqueuer({ connection, keys: redisKeys("alloc") });
const envelopes = bodies.map((b) => {
  const parsed = parseEnvelope(b.rawBody);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.envelope;
});

const handler = await perCall((n) => handle(request(n)), 1_000);
const parse = await perCall(async (n) => parseEnvelope(request(n).rawBody), 1_000 + calls);
const enqueue = await perCall(
  (n) => {
    const envelope = envelopes[n];
    return envelope
      ? enqueuer.enqueue(envelope.destination, envelope.events, Date.now())
      : Promise.resolve();
  },
  1_000 + 2 * calls - 200,
  300,
); // fewer: the enqueue allocates far more

const row = (name: string, bytes: number) =>
  `| ${name} | ${Number.isNaN(bytes) ? "GC ran: rerun" : bytes.toFixed(0)} |\n`;
process.stdout.write(
  `\n${calls} webhooks of one text event each, one at a time\n\n| Stage | heap bytes per webhook |\n|---|---:|\n` +
    row("webhook handler (verify + parse + timeout), enqueue a no-op", handler) +
    row("  of which parseEnvelope (JSON.parse + zod)", parse) +
    row("enqueuer (BullMQ job + lane script + MULTI, real Redis)", enqueue),
);
await enqueuer.close();
connection.disconnect();
await redis.close();
