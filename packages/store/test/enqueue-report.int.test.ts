import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { makeEvent, makeTextMessageEvent } from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import {
  createEventEnqueuer,
  createProducerConnection,
  createQueueDepthReader,
  EVENTS_PER_TRANSACTION,
  type EventEnqueuer,
  jobIdFor,
  laneOf,
  type RedisConnection,
  redisKeys,
} from "../src/index.ts";

const destination = `U${"0".repeat(32)}`;
const asEvent = (event: object) => event as WebhookEvent;

describe("the enqueuer's report and the queue depth", () => {
  let producer: RedisConnection;
  let reader: Redis;
  let enqueuer: EventEnqueuer;
  let prefix: string;

  beforeEach(async () => {
    prefix = `t-${randomUUID()}`;
    producer = createProducerConnection(inject("redisUrl"));
    reader = new Redis(inject("redisUrl"));
    // A producer connection refuses commands until connected (no offline queue).
    await once(producer, "ready");
    enqueuer = createEventEnqueuer({ connection: producer, keys: redisKeys(prefix) });
  });
  afterEach(async () => {
    await enqueuer.close();
    producer.disconnect();
    reader.disconnect();
  });

  it("tells new events from duplicates, with or without a chat, in one batch or across", async () => {
    const inChat = asEvent(makeTextMessageEvent("in a chat"));
    // Events without a source (module or bot-suspension events) have no lane: another check.
    const noChat = asEvent(makeEvent("botSuspended", { source: undefined }));
    const again = { ...inChat, deliveryContext: { isRedelivery: true } };

    // Two requests in the same turn share one transaction; the second repeats the first's event.
    const [first, second] = await Promise.all([
      enqueuer.enqueue(destination, [inChat, noChat], Date.now()),
      enqueuer.enqueue(destination, [again], Date.now()),
    ]);
    expect(first).toEqual({ enqueued: 2, duplicates: 0 });
    expect(second).toEqual({ enqueued: 0, duplicates: 1 });

    const later = await enqueuer.enqueue(destination, [noChat, inChat], Date.now());
    expect(later).toEqual({ enqueued: 0, duplicates: 2 });
    expect(await enqueuer.enqueue(destination, [], Date.now())).toEqual({
      enqueued: 0,
      duplicates: 0,
    });
  });

  it("reads the jobs per state and the age of the oldest waiting one in one call", async () => {
    const readDepth = createQueueDepthReader(reader, redisKeys(prefix));
    expect(await readDepth()).toEqual({
      jobs: { waiting: 0, active: 0, delayed: 0, prioritized: 0, failed: 0 },
      oldestWaitingSince: undefined,
    });

    const before = Date.now();
    await enqueuer.enqueue(destination, [asEvent(makeTextMessageEvent("first"))], before);
    const between = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the second job is visibly younger
    await enqueuer.enqueue(destination, [asEvent(makeTextMessageEvent("second"))], Date.now());

    const depth = await readDepth();
    expect(depth.jobs).toEqual({ waiting: 2, active: 0, delayed: 0, prioritized: 0, failed: 0 });
    // The first job queued is the oldest: queued after `before`, and before the second one.
    expect(depth.oldestWaitingSince).toBeGreaterThanOrEqual(before);
    expect(depth.oldestWaitingSince).toBeLessThanOrEqual(between);
  });

  it("with shards, puts each event in its lane's shard and reports a request spread over shards, however large, as one", async () => {
    const keys = redisKeys(prefix, { shards: 3 });
    const sharded = createEventEnqueuer({ connection: producer, keys });
    try {
      // More events than one transaction holds, from many chats, and some without a chat.
      const events = [
        ...Array.from({ length: EVENTS_PER_TRANSACTION * 2 }, (_, i) =>
          asEvent(makeTextMessageEvent(`m${i}`)),
        ),
        ...Array.from({ length: 6 }, () =>
          asEvent(makeEvent("botSuspended", { source: undefined })),
        ),
      ];
      const small = [asEvent(makeTextMessageEvent("beside it"))];
      const [large, beside] = await Promise.all([
        sharded.enqueue(destination, events, Date.now()),
        sharded.enqueue(destination, small, Date.now()),
      ]);
      expect(large).toEqual({ enqueued: events.length, duplicates: 0 });
      expect(beside).toEqual({ enqueued: 1, duplicates: 0 });
      expect(await sharded.enqueue(destination, events, Date.now())).toEqual({
        enqueued: 0,
        duplicates: events.length,
      });

      const waiting = await Promise.all(
        keys.layout.shards.map((shard) => reader.llen(keys.queueKey(shard, "wait"))),
      );
      expect(waiting.every((count) => count > 0)).toBe(true);
      expect(waiting.reduce((a, b) => a + b, 0)).toBe(events.length + 1);
      for (const event of [...events, ...small]) {
        const lane = laneOf(destination, event.source);
        if (!lane) continue;
        const shard = keys.layout.shardOfLane(lane);
        expect(await reader.exists(keys.queueKey(shard, jobIdFor(event.webhookEventId)))).toBe(1);
      }
    } finally {
      await sharded.close();
    }
  });

  it("with shards, queues an event without a chat once however often it is redelivered", async () => {
    const keys = redisKeys(prefix, { shards: 3 });
    const sharded = createEventEnqueuer({ connection: producer, keys });
    try {
      const event = asEvent(makeEvent("botSuspended", { source: undefined }));
      const reports = [];
      // One request at a time, as LINE's redeliveries arrive: each must meet the first one's mark.
      for (let delivery = 0; delivery < 4; delivery++) {
        reports.push(await sharded.enqueue(destination, [event], Date.now()));
      }
      expect(reports).toEqual([
        { enqueued: 1, duplicates: 0 },
        { enqueued: 0, duplicates: 1 },
        { enqueued: 0, duplicates: 1 },
        { enqueued: 0, duplicates: 1 },
      ]);
    } finally {
      await sharded.close();
    }
  });
});
