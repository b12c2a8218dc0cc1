import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { makeBotUserId, makeTextMessageEvent, makeUserId } from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createEventEnqueuer, createProducerConnection, redisKeys } from "../src/index.ts";

/** Nothing reads BullMQ's events stream: it is kept short (lineEventsQueue.streams, catalog.ts). */
describe("BullMQ's events stream of the events queue", () => {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("keeps at most 200 entries however many events are added", async () => {
    const prefix = `t-${randomUUID()}`;
    const keys = redisKeys(prefix);
    const producer = createProducerConnection(inject("redisUrl"));
    await once(producer, "ready");
    closers.push(() => producer.disconnect());
    const reader = new Redis(inject("redisUrl"));
    closers.push(() => reader.disconnect());
    const enqueuer = createEventEnqueuer({ connection: producer, keys });
    closers.push(() => enqueuer.close());

    const destination = makeBotUserId();
    const events = Array.from(
      { length: 500 },
      (_, i) =>
        makeTextMessageEvent(`event ${i}`, {
          source: { type: "user", userId: makeUserId() },
        }) as unknown as WebhookEvent,
    );
    // Fifty requests of ten events: every add appends to the stream, trimmed as it goes.
    for (let i = 0; i < events.length; i += 10) {
      expect(await enqueuer.enqueue(destination, events.slice(i, i + 10), Date.now())).toEqual({
        enqueued: 10,
        duplicates: 0,
      });
    }
    const queue = `${prefix}:${keys.layout.queueName(0)}`;
    expect(await reader.hget(`${queue}:meta`, "opts.maxLenEvents")).toBe("100");
    // Written to for every add (BullMQ cannot leave it unwritten), and trimmed as it goes:
    // without the limit it would hold them all (up to 10,000): two per add.
    const info = (await reader.xinfo("STREAM", `${queue}:events`)) as unknown[];
    const field = (name: string) => info[info.indexOf(name) + 1];
    expect(field("entries-added")).toBeGreaterThanOrEqual(events.length);
    expect(field("length")).toBeLessThanOrEqual(200);
  });
});
