import { randomUUID } from "node:crypto";
import { makeBotUserId } from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Redis } from "ioredis";
import { describe, expect, inject, it } from "vitest";
import {
  createEventEnqueuer,
  type EventEnqueuerOptions,
  jobIdFor,
  laneOf,
  redisKeys,
} from "../src/index.ts";
import { chatEvent, closedAfterEach, openEnqueuer } from "./enqueue-fixture.ts";

/** Requests are written per batch: a window of time, or until the batch holds enough events. */
describe("the enqueuer's write window", () => {
  const closers = closedAfterEach();
  const destination = makeBotUserId();
  const event = (text: string) => chatEvent(text);
  /** A turn of the event loop: the next request comes in a turn of its own. */
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  async function setup(options: Pick<EventEnqueuerOptions, "writeWindowMs" | "writeBatchMax">) {
    const { enqueuer, reader, keys, jobExists } = await openEnqueuer(closers, options);
    const { prefix } = keys;

    // MONITOR tells how the writes were grouped: the events of each script call touching the
    // prefix (its arguments: 2, then 7 per event, after its keys).
    const watcher = new Redis(inject("redisUrl"));
    const monitor = await watcher.monitor();
    closers.push(() => {
      monitor.disconnect();
      watcher.disconnect();
    });
    const transactions: number[] = [];
    monitor.on("monitor", (_time: string, args: string[]) => {
      const command = args[0]?.toLowerCase();
      if (command !== "evalsha" && command !== "eval") return;
      if (!args.some((arg) => arg.startsWith(`${prefix}:`))) return;
      const keyCount = Number(args[2]);
      transactions.push((args.length - 3 - keyCount - 2) / 7);
    });
    // The call's monitor line may trail the reply the enqueuer got: wait for the count wanted.
    const transactionsSeen = async (count: number) => {
      while (transactions.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
      return transactions;
    };
    return { enqueuer, reader, keys, jobExists, transactionsSeen };
  }

  it("gathers requests of several turns into one script call until the batch holds writeBatchMax events", async () => {
    // A window far longer than the test: only the batch's size can send it.
    const { enqueuer, jobExists, transactionsSeen } = await setup({
      writeWindowMs: 600_000,
      writeBatchMax: 3,
    });
    const events = [event("one"), event("two"), event("three")];
    const acks: Array<Promise<unknown>> = [];
    for (const queued of events) {
      acks.push(enqueuer.enqueue(destination, [queued], Date.now()));
      await nextTurn();
    }
    // Each request's acknowledgement comes once its own event is stored.
    const reports = await Promise.all(
      acks.map((ack, i) =>
        ack.then(async (report) => ({
          report,
          stored: await jobExists(events[i] as WebhookEvent),
        })),
      ),
    );
    expect(reports).toEqual(
      events.map(() => ({ report: { enqueued: 1, duplicates: 0 }, stored: true })),
    );
    // One script call carried the three requests' events.
    expect(await transactionsSeen(1)).toEqual([3]);
  });

  it("with a window of 0, writes the requests of one turn together", async () => {
    const { enqueuer, jobExists, transactionsSeen } = await setup({ writeWindowMs: 0 });
    const events = [event("a"), event("b")];
    const reports = await Promise.all(
      events.map((queued) => enqueuer.enqueue(destination, [queued], Date.now())),
    );
    expect(reports).toEqual([
      { enqueued: 1, duplicates: 0 },
      { enqueued: 1, duplicates: 0 },
    ]);
    expect(await jobExists(events[0] as WebhookEvent)).toBe(true);
    expect(await jobExists(events[1] as WebhookEvent)).toBe(true);
    expect(await transactionsSeen(1)).toEqual([2]);
  });

  it("fails only the request whose own write failed, and writes the rest of its batch and the next", async () => {
    const { enqueuer, reader, keys, jobExists } = await setup({
      writeWindowMs: 600_000,
      writeBatchMax: 2,
    });
    const poisoned = event("its lane key holds a string");
    const lane = laneOf(destination, poisoned.source);
    if (!lane) throw new Error("the event has a chat");
    // The lane's ZADD then fails with WRONGTYPE inside the script.
    await reader.set(keys.lane(lane), "not a sorted set");
    const [first, second, third, fourth] = [poisoned, event("b"), event("c"), event("d")];

    const outcomes: Array<Promise<unknown>> = [];
    for (const queued of [first, second, third, fourth]) {
      const outcome = enqueuer.enqueue(destination, [queued as WebhookEvent], Date.now());
      // Its failure may come before the last request is sent: handled below, not unhandled now.
      outcome.catch(() => {});
      outcomes.push(outcome);
      await nextTurn();
    }
    const settled = await Promise.allSettled(outcomes);
    expect(settled.map((outcome) => outcome.status)).toEqual([
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    for (const stored of [second, third, fourth]) {
      expect(await jobExists(stored as WebhookEvent)).toBe(true);
    }
  });

  it("writes through a connection of its own even when the one it is given connects lazily", async () => {
    const prefix = `t-${randomUUID()}`;
    const keys = redisKeys(prefix);
    const connection = new Redis(inject("redisUrl"), { lazyConnect: true });
    closers.push(() => connection.disconnect());
    const enqueuer = createEventEnqueuer({ connection, keys });
    closers.push(() => enqueuer.close());
    const queued = event("lazy");
    expect(await enqueuer.enqueue(destination, [queued], Date.now())).toEqual({
      enqueued: 1,
      duplicates: 0,
    });
    expect(await connection.exists(keys.queueKey(0, jobIdFor(queued.webhookEventId)))).toBe(1);
  });

  it("refuses a window below 0 and a batch below one event", () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const connection = new Redis(inject("redisUrl"), { lazyConnect: true });
    closers.push(() => connection.disconnect());
    expect(() => createEventEnqueuer({ connection, keys, writeWindowMs: -1 })).toThrow(
      /writeWindowMs must be 0 or more/,
    );
    expect(() => createEventEnqueuer({ connection, keys, writeBatchMax: 0 })).toThrow(
      /writeBatchMax must be at least 1/,
    );
  });
});
