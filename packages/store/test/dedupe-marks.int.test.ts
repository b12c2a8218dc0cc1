import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { makeEvent } from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, inject, it } from "vitest";
import {
  DEDUPE_MARK_BUCKETS,
  DEFAULT_DEDUPE_TTL_MS,
  dedupeIdFor,
  type EventEnqueuerOptions,
  hasDedupeMark,
  jobIdFor,
  laneOf,
  NO_TIMESTAMP_SECOND,
  redisKeys,
} from "../src/index.ts";
import { chatEvent, closedAfterEach, openEnqueuer } from "./enqueue-fixture.ts";

const destination = `U${"0".repeat(32)}`;
/** An event in a chat of its own, at `timestamp`. */
const event = (text: string, timestamp = Date.now()) => chatEvent(text, { timestamp });
const laneOfEvent = (queued: WebhookEvent) => {
  const lane = laneOf(destination, queued.source);
  if (!lane) throw new Error("the event has a chat");
  return lane;
};

/** The ingress's dedupe marks: fields of per-shard, per-second hashes, written with the job. */
describe("the enqueuer's dedupe marks", () => {
  const closers = closedAfterEach();

  async function setup(options: Partial<EventEnqueuerOptions> & { shards?: number } = {}) {
    const { shards = 1, ...enqueuerOptions } = options;
    const { keys, reader, enqueuer } = await openEnqueuer(closers, {
      ...enqueuerOptions,
      keys: redisKeys(`t-${randomUUID()}`, { shards }),
    });
    const { prefix } = keys;
    const shardOf = (queued: WebhookEvent) => keys.layout.shardOfLane(laneOfEvent(queued));
    const jobKey = (queued: WebhookEvent) =>
      keys.queueKey(shardOf(queued), jobIdFor(queued.webhookEventId));
    const markOf = (queued: WebhookEvent) =>
      keys.dedupeMark(shardOf(queued), queued.webhookEventId, queued.timestamp);
    return { prefix, keys, reader, enqueuer, jobKey, markOf };
  }

  it("refuses a redelivery after the job was completed and removed", async () => {
    const { keys, reader, enqueuer, jobKey } = await setup();
    const queued = event("once");
    expect(await enqueuer.enqueue(destination, [queued], Date.now())).toEqual({
      enqueued: 1,
      duplicates: 0,
    });
    // A plain BullMQ worker completes the job; the events queue removes a completed job.
    const worker = new Worker(keys.layout.queueName(0), async () => {}, {
      connection: new Redis(inject("redisUrl"), { maxRetriesPerRequest: null }),
      prefix: keys.prefix,
    });
    closers.push(() => worker.close());
    await once(worker, "completed");
    expect(await reader.exists(jobKey(queued))).toBe(0);
    await reader.del(keys.lane(laneOfEvent(queued)));

    const again = { ...queued, deliveryContext: { isRedelivery: true } } as WebhookEvent;
    expect(await enqueuer.enqueue(destination, [again], Date.now())).toEqual({
      enqueued: 0,
      duplicates: 1,
    });
    expect(await reader.exists(jobKey(queued))).toBe(0);
    expect(await reader.zcard(keys.lane(laneOfEvent(queued)))).toBe(0);
    expect(await hasDedupeMark(reader, keys, queued.webhookEventId, queued.timestamp)).toBe(true);
  });

  it("refuses a redelivery while the job still waits, even without its mark, and enters no lane twice", async () => {
    const { keys, reader, enqueuer, markOf } = await setup();
    const queued = event("waiting");
    await enqueuer.enqueue(destination, [queued], Date.now());
    const lane = keys.lane(laneOfEvent(queued));
    const wait = keys.queueKey(0, "wait");
    expect(await reader.zcard(lane)).toBe(1);
    // The job alone must refuse it now: no mark (as for an event queued before marks existed),
    // and a lane that has moved on.
    const mark = markOf(queued);
    expect(await reader.hdel(mark.key, mark.field)).toBe(1);
    await reader.del(lane);

    expect(await enqueuer.enqueue(destination, [queued], Date.now())).toEqual({
      enqueued: 0,
      duplicates: 1,
    });
    expect(await reader.zcard(lane)).toBe(0);
    expect(await reader.llen(wait)).toBe(1);
    expect(await reader.hexists(mark.key, mark.field)).toBe(0);
  });

  it("refuses a redelivery an earlier version marked with BullMQ's deduplication key", async () => {
    const { keys, reader, enqueuer, jobKey, markOf } = await setup();
    const marked = event("acknowledged before the upgrade");
    const fresh = event("new");
    // What the version before compact marks left of an event it queued and handled: its key.
    const legacy = keys.legacyDedupeMark(0, dedupeIdFor(marked.webhookEventId));
    expect(legacy).toMatch(/:line-events:de:[\w-]{16}$/);
    await reader.set(legacy, jobIdFor(marked.webhookEventId), "PX", 60_000);

    expect(await enqueuer.enqueue(destination, [marked, fresh], Date.now())).toEqual({
      enqueued: 1,
      duplicates: 1,
    });
    expect(await reader.exists(jobKey(marked))).toBe(0);
    expect(await reader.zcard(keys.lane(laneOfEvent(marked)))).toBe(0);
    const mark = markOf(marked);
    expect(await reader.hexists(mark.key, mark.field)).toBe(0);
    // Read, never written: the new event gets a compact mark and no key of the old kind.
    expect(await reader.exists(keys.legacyDedupeMark(0, dedupeIdFor(fresh.webhookEventId)))).toBe(
      0,
    );
    expect(await reader.exists(jobKey(fresh))).toBe(1);
  });

  it("keeps the marks of one second in at most eight listpack hashes per shard", async () => {
    const shards = 3;
    const { prefix, keys, reader, enqueuer } = await setup({ shards });
    const second = 1_700_000_000_000;
    const events = Array.from({ length: 600 }, (_, i) => event(`burst ${i}`, second + (i % 1000)));
    expect(await enqueuer.enqueue(destination, events, Date.now())).toEqual({
      enqueued: 600,
      duplicates: 0,
    });

    const hashes = await reader.keys(`${prefix}:dedupe:*`);
    for (const shard of keys.layout.shards) {
      const ofShard = hashes.filter((key) => key.includes(`:${keys.layout.tag(shard)}:`));
      expect(ofShard.length).toBeGreaterThan(0);
      expect(ofShard.length).toBeLessThanOrEqual(DEDUPE_MARK_BUCKETS);
    }
    let marks = 0;
    for (const key of hashes) {
      expect(await reader.object("ENCODING", key)).toBe("listpack");
      marks += await reader.hlen(key);
    }
    expect(marks).toBe(600);
  });

  it("keeps a mark's hash for the dedupe window from its newest mark", async () => {
    const windowMs = 60_000;
    const { reader, enqueuer, markOf } = await setup({ dedupeTtlMs: windowMs });
    const first = event("first", 1_700_000_000_000);
    await enqueuer.enqueue(destination, [first], Date.now());
    const { key } = markOf(first);
    const ttl = await reader.pttl(key);
    expect(ttl).toBeGreaterThan(windowMs - 5_000);
    expect(ttl).toBeLessThanOrEqual(windowMs);

    // A later mark in the same hash renews it: the hash outlives its newest mark's window.
    await reader.pexpire(key, 1_000);
    let later = event("later", 1_700_000_000_000);
    while (markOf(later).key !== key) later = event("later", 1_700_000_000_000);
    await enqueuer.enqueue(destination, [later], Date.now());
    expect(await reader.pttl(key)).toBeGreaterThan(windowMs - 5_000);
  });

  it("keeps the default window: a mark's hash lives at least DEDUPE_TTL_MS", async () => {
    const { reader, enqueuer, markOf } = await setup();
    const queued = event("default window");
    const before = Date.now();
    await enqueuer.enqueue(destination, [queued], before);
    const ttl = await reader.pttl(markOf(queued).key);
    expect(ttl + (Date.now() - before)).toBeGreaterThanOrEqual(DEFAULT_DEDUPE_TTL_MS - 1_000);
  });

  it("marks an event without a usable timestamp in a fixed second, and refuses its redelivery", async () => {
    const { prefix, reader, enqueuer } = await setup();
    const undated = {
      ...makeEvent("botSuspended", { source: undefined }),
      timestamp: undefined,
    } as unknown as WebhookEvent;
    expect(await enqueuer.enqueue(destination, [undated], Date.now())).toEqual({
      enqueued: 1,
      duplicates: 0,
    });
    expect(await enqueuer.enqueue(destination, [undated], Date.now())).toEqual({
      enqueued: 0,
      duplicates: 1,
    });
    const hashes = await reader.keys(`${prefix}:dedupe:*`);
    expect(hashes).toHaveLength(1);
    expect(hashes[0]).toMatch(new RegExp(`^${prefix}:dedupe:${NO_TIMESTAMP_SECOND}:\\d$`));
  });

  it("reports each event of a batch mixing new and duplicate ones", async () => {
    const { enqueuer } = await setup({ writeWindowMs: 0 });
    const [a, b, c, d] = [event("a"), event("b"), event("c"), event("d")];
    await enqueuer.enqueue(destination, [a, b], Date.now());
    // Requests of one turn share a batch: new events, redeliveries, and an event twice within it.
    const reports = await Promise.all([
      enqueuer.enqueue(destination, [c, a], Date.now()),
      enqueuer.enqueue(destination, [b], Date.now()),
      enqueuer.enqueue(destination, [d, c, d], Date.now()),
    ]);
    expect(reports).toEqual([
      { enqueued: 1, duplicates: 1 },
      { enqueued: 0, duplicates: 1 },
      { enqueued: 1, duplicates: 2 },
    ]);
  });
});
