import { randomUUID } from "node:crypto";
import { createBot } from "@linefleet/bot";
import { createLineClient } from "@linefleet/line-client";
import { createLogger } from "@linefleet/log";
import { redisKeys } from "@linefleet/store";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { singleChannel } from "../src/channel-resolver.ts";
import { createRecurringWorker } from "../src/recurring-worker.ts";

/**
 * A deploy's recurring jobs are what its bot declares: each worker reconciles the job schedulers
 * at start, so a job changed in code is changed, and one dropped from the code is removed.
 */
describe("reconciling recurring jobs with the bot's declarations", () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("adds, changes and removes job schedulers as the code declares them", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
    closers.push(async () => redis.disconnect());
    const client = createLineClient({
      channelAccessToken: "unused",
      apiBaseUrl: "http://127.0.0.1:9",
    });
    const deploy = async (bot: ReturnType<typeof createBot>) => {
      const recurring = createRecurringWorker({
        connection: redis,
        keys,
        bot,
        channels: singleChannel(client),
        defaultChannel: "default",
        logger: createLogger({ name: "worker", level: "silent" }),
      });
      await recurring.reconcile();
      await recurring.close();
    };
    const queue = new Queue(keys.recurringQueueName, { connection: redis, prefix: keys.prefix });
    closers.push(() => queue.close());
    const schedulers = async () =>
      (await queue.getJobSchedulers())
        .map((s) => ({ id: s.key, every: s.every, pattern: s.pattern }))
        .sort((a, b) => a.id.localeCompare(b.id));

    await deploy(
      createBot()
        .every("daily", { cron: "0 9 * * *" }, () => {})
        .every("hourly", { everyMs: 3_600_000 }, () => {}),
    );
    expect(await schedulers()).toEqual([
      { id: "daily", every: undefined, pattern: "0 9 * * *" },
      { id: "hourly", every: 3_600_000, pattern: undefined },
    ]);

    // The next deploy changes the hourly job into a half-hourly one and drops the daily one.
    await deploy(createBot().every("hourly", { everyMs: 1_800_000 }, () => {}));
    expect(await schedulers()).toEqual([{ id: "hourly", every: 1_800_000, pattern: undefined }]);
    // One next tick waits, for the changed schedule.
    const delayed = await queue.getDelayed();
    expect(delayed.map((job) => job.data)).toEqual([{ job: "hourly" }]);

    await deploy(createBot());
    expect(await schedulers()).toEqual([]);
  });
});
