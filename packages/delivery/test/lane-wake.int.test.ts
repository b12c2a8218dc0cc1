import { randomUUID } from "node:crypto";
import { type LineEventJob, redisKeys } from "@linefleet/store";
import { makeBotUserId, makeTextMessageEvent, makeUserId, waitFor } from "@linefleet/test-support";
import { DelayedError, type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createEventState } from "../src/event-state.ts";
import { stepAside } from "../src/step-aside.ts";

/**
 * The race of the lane wake-up, driven step by step against real Redis with the worker's own
 * scripts: event A heads a lane, event W behind it sees it must wait, and A leaves (and wakes
 * whoever it finds waiting) either before W has stepped aside or after. W steps aside for a minute;
 * it must be handled at once in both orders, never left asleep.
 */
describe("waking the next event of a lane", () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function lane() {
    const prefix = `t-${randomUUID()}`;
    const keys = redisKeys(prefix);
    const redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
    closers.push(async () => redis.disconnect());
    const queue = new Queue<LineEventJob>(keys.layout.queueName(0), { connection: redis, prefix });
    closers.push(() => queue.close());
    const state = createEventState(redis, keys, 60);
    const destination = makeBotUserId();
    const source = { type: "user" as const, userId: makeUserId() };
    const a = makeTextMessageEvent("a", { source, timestamp: 1_000 });
    const w = makeTextMessageEvent("w", { source, timestamp: 2_000 });
    const laneId = `${destination}:${source.userId}`;
    await redis.zadd(keys.lane(laneId), 1_000, a.webhookEventId, 2_000, w.webhookEventId);
    const data = { destination, event: w, receivedAt: Date.now() } as LineEventJob;
    await queue.add("message", data, { jobId: w.webhookEventId });
    /** Ends A as a worker does: records it done, leaves the lane, wakes the event it names. */
    const finishA = async () => {
      const next = await state.finish(laneId, a.webhookEventId, "ok");
      if (next)
        await queue
          .getBackend()
          .promote(next)
          .catch(() => {});
      return next;
    };
    return { redis, keys, prefix, state, laneId, w, finishA };
  }

  /** Runs W in a BullMQ worker; between seeing it must wait and stepping aside it calls `between`. */
  function runW(
    setup: Awaited<ReturnType<typeof lane>>,
    between: () => Promise<unknown>,
  ): Promise<string[]> {
    const runs: string[] = [];
    const handled = new Promise<string[]>((resolve, reject) => {
      const worker = new Worker<LineEventJob>(
        setup.keys.layout.queueName(0),
        async (job: Job<LineEventJob>, token?: string) => {
          const now = Date.now();
          const begun = await setup.state.begin(setup.laneId, job.data.event.webhookEventId, {
            now,
            force: false,
            replyDeadline: now + 50_000,
          });
          runs.push(begun.status);
          if (begun.status !== "wait") return;
          await between();
          await stepAside(job, token, {
            state: setup.state,
            lane: setup.laneId,
            eventKey: job.data.event.webhookEventId,
            until: now + 60_000,
            now,
          });
          throw new DelayedError();
        },
        { connection: setup.redis.duplicate(), prefix: setup.prefix },
      );
      closers.push(() => worker.close());
      worker.on("completed", () => resolve(runs));
      worker.on("error", reject);
    });
    // W sleeps a minute if nobody wakes it: 10 s is plenty for a wake-up and far from a minute.
    let timer: NodeJS.Timeout | undefined;
    const asleep = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("W was not woken: it sleeps its minute")), 10_000);
    });
    return Promise.race([handled, asleep]).finally(() => clearTimeout(timer));
  }

  it("wakes W when A leaves after W stepped aside", async () => {
    const setup = await lane();
    const done = runW(setup, async () => {});
    await waitFor(
      async () =>
        (await setup.redis.zscore(setup.keys.laneWaiting(setup.laneId), setup.w.webhookEventId)) !==
        null,
      { what: "W marked waiting" },
    );
    expect(await setup.finishA()).toBe(setup.w.webhookEventId);
    expect(await done).toEqual(["wait", "run"]);
  });

  it("wakes W when A leaves between W's look at the lane and its stepping aside", async () => {
    const setup = await lane();
    let found: string | undefined = "not yet";
    const done = runW(setup, async () => {
      found = await setup.finishA();
    });
    // A found nobody to wake (W was not delayed yet); W must see its turn came and wake itself.
    expect(await done).toEqual(["wait", "run"]);
    expect(found).toBeUndefined();
  });
});
