import { randomUUID } from "node:crypto";
import { makeBotUserId, makeTextMessageEvent, makeUserId } from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Redis } from "ioredis";
import { describe, expect, inject, it } from "vitest";
import {
  createEventEnqueuer,
  EVENTS_PER_TRANSACTION,
  EventsNotStorableError,
  jobIdFor,
  redisKeys,
} from "../src/index.ts";
import { closedAfterEach } from "./enqueue-fixture.ts";

/** Requests enqueued in one tick share a batch: these tests put a hostile one among them. */
describe("one request never hurts another in the ingress's batch", () => {
  const closers = closedAfterEach();

  function setup() {
    const prefix = `t-${randomUUID()}`;
    const connection = new Redis(inject("redisUrl"));
    closers.push(() => connection.disconnect());
    const enqueuer = createEventEnqueuer({ connection, keys: redisKeys(prefix) });
    closers.push(() => enqueuer.close());
    const jobExists = async (event: WebhookEvent) =>
      (await connection.exists(`${prefix}:line-events:${jobIdFor(event.webhookEventId)}`)) === 1;
    return { connection, enqueuer, jobExists, prefix };
  }

  const destination = makeBotUserId();
  const event = (text: string) =>
    makeTextMessageEvent(text, {
      source: { type: "user", userId: makeUserId() },
    }) as unknown as WebhookEvent;

  it("fails only the request whose event cannot be serialised", async () => {
    const { enqueuer, jobExists } = setup();
    let nested: unknown = 1;
    for (let i = 0; i < 5_000; i++) nested = { a: nested };
    const hostile = { ...event("deep"), deep: nested } as WebhookEvent;
    const before = event("before");
    const after = event("after");

    const outcomes = await Promise.allSettled([
      enqueuer.enqueue(destination, [before], Date.now()),
      enqueuer.enqueue(destination, [event("same request"), hostile], Date.now()),
      enqueuer.enqueue(destination, [after], Date.now()),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(EventsNotStorableError);
    expect(await jobExists(before)).toBe(true);
    expect(await jobExists(after)).toBe(true);
  });

  it("splits a 10,000-event request into small script calls that others get in between", async () => {
    const { connection, enqueuer, jobExists, prefix } = setup();
    await connection.ping();
    const watcher = new Redis(inject("redisUrl"));
    const monitor = await watcher.monitor();
    closers.push(() => {
      monitor.disconnect();
      watcher.disconnect();
    });
    /** Events in each of our script calls (the enqueuer writes on a connection of its own). */
    const transactions: number[] = [];
    monitor.on("monitor", (_time: string, args: string[]) => {
      const command = args[0]?.toLowerCase();
      if (command !== "evalsha" && command !== "eval") return;
      if (!args.some((arg) => arg.startsWith(`${prefix}:`))) return;
      // Its arguments after its keys: 2, then 7 per event.
      transactions.push((args.length - 3 - Number(args[2]) - 2) / 7);
    });

    const huge = Array.from({ length: 10_000 }, (_, i) => event(`huge ${i}`));
    const small = event("small");
    let hugeDone = false;
    const hugeEnqueued = enqueuer.enqueue(destination, huge, Date.now()).then(() => {
      hugeDone = true;
    });
    await enqueuer.enqueue(destination, [small], Date.now());
    // The small request, batched with the huge one, did not wait for all of it.
    expect(hugeDone).toBe(false);
    expect(await jobExists(small)).toBe(true);

    await hugeEnqueued;
    expect(await jobExists(huge[0] as WebhookEvent)).toBe(true);
    expect(await jobExists(huge[9_999] as WebhookEvent)).toBe(true);
    // No script call held more than the bound.
    expect(transactions.length).toBeGreaterThanOrEqual(10_000 / EVENTS_PER_TRANSACTION);
    expect(Math.max(...transactions)).toBeLessThanOrEqual(EVENTS_PER_TRANSACTION);
  });
});
