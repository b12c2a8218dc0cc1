import { makeBotUserId, makeUserId, startLocalRedisServer, waitFor } from "@linefleet/test-support";
import { describe, expect, it } from "vitest";
import { type EventEnqueuerOptions, jobIdFor, laneOf } from "../src/index.ts";
import { chatEvent, closedAfterEach, openEnqueuer } from "./enqueue-fixture.ts";

/**
 * An event that is not stored is answered 503, or spooled, and comes again later: a later event
 * of its chat must not be stored before it, or the chat would be answered out of order.
 */
describe("a chat's events that are not stored are not overtaken", () => {
  const closers = closedAfterEach();

  const destination = makeBotUserId();
  const [chatA, chatB] = [makeUserId(), makeUserId()];
  const start = Date.now();
  const event = (text: string, userId: string, timestamp: number) =>
    chatEvent(text, { userId, timestamp });
  // A's first event fails: its dedupe mark's hash (a second of its own) holds a string. A's second
  // and B's event fall in another second, another hash.
  const a1 = event("A1", chatA, start);
  const a2 = event("A2", chatA, start + 5_000);
  const b1 = event("B1", chatB, start + 5_000);

  async function setup(options: Pick<EventEnqueuerOptions, "writeWindowMs" | "writeBatchMax">) {
    const { enqueuer, reader, keys, jobExists: stored } = await openEnqueuer(closers, options);
    await reader.set(keys.dedupeMark(0, a1.webhookEventId, a1.timestamp).key, "not a hash");
    const laneOfA = keys.lane(laneOf(destination, a1.source) ?? "");
    return { enqueuer, reader, keys, stored, laneOfA };
  }

  /** Each request's outcome: "stored", or why it failed. */
  const outcomes = (requests: Array<Promise<unknown>>) =>
    Promise.all(
      requests.map((request) =>
        request.then(
          () => "stored",
          (error: Error) => error.message,
        ),
      ),
    );

  it("fails the chat's later requests queued behind a call that failed, and writes the other chats'", async () => {
    // One request per script call: A1's call is in flight while the two others wait behind it.
    const { enqueuer, reader, keys, stored, laneOfA } = await setup({ writeBatchMax: 1 });
    const requests = [a1, a2, b1].map((queued) =>
      enqueuer.enqueue(destination, [queued], Date.now()),
    );
    const [first, second, third] = await outcomes(requests);
    expect(first).toMatch(/WRONGTYPE/);
    expect(second).toMatch(/must not overtake/);
    expect(third).toBe("stored");
    expect(await stored(a2)).toBe(false);
    expect(await stored(b1)).toBe(true);
    expect(await reader.zcard(laneOfA)).toBe(0);

    // Nothing is held for good: once A1 can be stored, its redelivery and then A2's are.
    await reader.del(keys.dedupeMark(0, a1.webhookEventId, a1.timestamp).key);
    expect(await enqueuer.enqueue(destination, [a1], Date.now())).toEqual({
      enqueued: 1,
      duplicates: 0,
    });
    expect(await enqueuer.enqueue(destination, [a2], Date.now())).toEqual({
      enqueued: 1,
      duplicates: 0,
    });
    expect(await reader.zrange(laneOfA, "0", "-1")).toEqual([
      jobIdFor(a1.webhookEventId),
      jobIdFor(a2.webhookEventId),
    ]);
  });

  it("in one script call, does not write the chat's events after one that failed, and writes the other chats'", async () => {
    const { enqueuer, stored } = await setup({ writeWindowMs: 600_000, writeBatchMax: 3 });
    const requests = [a1, a2, b1].map((queued) =>
      enqueuer.enqueue(destination, [queued], Date.now()),
    );
    const [first, second, third] = await outcomes(requests);
    expect(first).toMatch(/WRONGTYPE/);
    expect(second).toMatch(/earlier event of its chat/);
    expect(third).toBe("stored");
    expect(await stored(a2)).toBe(false);
    expect(await stored(b1)).toBe(true);
  });

  it("stops holding back a shard after a call unanswered for callTimeoutMs, and a late landing is only a duplicate", async () => {
    // A Redis of its own: the test pauses its writes.
    const redis = await startLocalRedisServer();
    closers.push(() => redis.close());
    const {
      enqueuer,
      reader: admin,
      keys,
    } = await openEnqueuer(closers, {
      url: redis.url,
      writeBatchMax: 1,
      callTimeoutMs: 300,
    });
    // The writer is ready once a first write went through.
    await enqueuer.enqueue(destination, [event("ready", makeUserId(), start)], Date.now());
    const [first, second] = [event("A1", chatA, start), event("A2", chatA, start + 1)];

    // A1's call waits in the paused server, unanswered; A2 waits behind it.
    await admin.call("CLIENT", "PAUSE", "2000", "WRITE");
    const pending = outcomes(
      [first, second].map((queued) => enqueuer.enqueue(destination, [queued], Date.now())),
    );
    const [a1Outcome, a2Outcome] = await pending;
    expect(a1Outcome).toMatch(/did not answer the enqueue within 300 ms/);
    expect(a2Outcome).toMatch(/must not overtake/);

    // Once the server goes on, A1's call lands late, before anything newer of its chat: A1
    // coming again is a duplicate, and A2 follows it in its lane.
    await admin.call("CLIENT", "UNPAUSE");
    const laneOfA = keys.lane(laneOf(destination, first.source) ?? "");
    await waitFor(async () => (await admin.zcard(laneOfA)) === 1, {
      what: "A1's late call landing",
    });
    expect(await enqueuer.enqueue(destination, [first], Date.now())).toEqual({
      enqueued: 0,
      duplicates: 1,
    });
    expect(await enqueuer.enqueue(destination, [second], Date.now())).toEqual({
      enqueued: 1,
      duplicates: 0,
    });
    expect(await admin.zrange(laneOfA, "0", "-1")).toEqual([
      jobIdFor(first.webhookEventId),
      jobIdFor(second.webhookEventId),
    ]);
  });
});
