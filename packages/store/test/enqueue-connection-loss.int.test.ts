import { randomUUID } from "node:crypto";
import {
  makeBotUserId,
  makeTextMessageEvent,
  makeUserId,
  startLocalRedisServer,
  waitFor,
} from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import {
  createEventEnqueuer,
  createProducerConnection,
  jobIdFor,
  redisKeys,
} from "../src/index.ts";

/**
 * A write the ingress gave up on must not land later: the request was answered 503 or spooled,
 * and a chat's newer events may already be queued, ahead of it in the chat's lane.
 */
describe("a write in flight when the enqueue's connection is lost", () => {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  const destination = makeBotUserId();
  const event = (text: string) =>
    makeTextMessageEvent(text, {
      source: { type: "user", userId: makeUserId() },
    }) as unknown as WebhookEvent;

  it("fails at once and is not sent again once the connection is back", async () => {
    // A Redis of its own: the test pauses its clients and kills their connections.
    const redis = await startLocalRedisServer();
    closers.push(() => redis.close());
    const prefix = `t-${randomUUID()}`;
    const producer = createProducerConnection({ url: redis.url });
    closers.push(() => producer.disconnect());
    const admin = new Redis(redis.url);
    closers.push(() => admin.disconnect());
    const enqueuer = createEventEnqueuer({ connection: producer, keys: redisKeys(prefix) });
    closers.push(() => enqueuer.close());
    const jobExists = async (queued: WebhookEvent) =>
      (await admin.exists(`${prefix}:line-events:${jobIdFor(queued.webhookEventId)}`)) === 1;
    // The writer is ready once a first write went through.
    await enqueuer.enqueue(destination, [event("first")], Date.now());

    // Writes wait in the server while it is paused; the enqueue's script call is one.
    await admin.call("CLIENT", "PAUSE", "10000", "WRITE");
    const lost = event("in flight");
    const outcome = enqueuer.enqueue(destination, [lost], Date.now()).then(
      () => "stored",
      (error: Error) => error.message,
    );
    await waitFor(
      async () => /cmd=evalsha/.test(String(await admin.call("CLIENT", "LIST", "TYPE", "normal"))),
      { timeoutMs: 5_000, what: "the script call waiting in the paused server" },
    );
    await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    expect(await outcome).toMatch(/closed/i);
    await admin.call("CLIENT", "UNPAUSE");

    // Once the connections are back, a later event is stored, and the lost one still is not:
    // ioredis would have sent it again on reconnecting, before anything newer.
    const later = event("after the reconnection");
    await waitFor(
      () =>
        enqueuer.enqueue(destination, [later], Date.now()).then(
          () => true,
          () => false,
        ),
      { what: "an enqueue after the reconnection" },
    );
    expect(await jobExists(later)).toBe(true);
    expect(await jobExists(lost)).toBe(false);
  });
});
