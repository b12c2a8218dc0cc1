import { createWorkerConnection, type RedisConnection } from "@linefleet/store";
import { type Stack, scrape, startStack, waitFor, workerMetricsUrl } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

interface Run {
  id: string;
  at: number;
  ranAt: number;
  pid: number;
}

describe("a recurring job with three worker processes", () => {
  let stack: Stack;
  let redis: RedisConnection;

  beforeAll(async () => {
    redis = createWorkerConnection(inject("redisUrl"));
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      // Nothing answers webhooks here: the ticks come from Redis alone.
      lineApiUrl: "http://127.0.0.1:9",
      channelSecret: "recurring-test-secret",
      channelAccessToken: "recurring-test-token",
      workers: 3,
      workerEnv: { BOT_MODULE: "tests/bots/recurring-ticks.ts" },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    redis?.disconnect();
  });

  it("runs once per tick, fleet-wide: 10 (±1) runs in 10 s, never two for one tick", async () => {
    const runs = async () =>
      (await redis.lrange(`${stack.prefix}:test-ticks`, 0, -1)).map(
        (json) => JSON.parse(json) as Run,
      );
    const first = await waitFor(async () => (await runs())[0], {
      timeoutMs: 20_000,
      what: "the first tick",
    });
    // The terminal signal: the run of the tick 10 s after the first one.
    await waitFor(async () => (await runs()).some((run) => run.at >= first.at + 10_000), {
      timeoutMs: 30_000,
      what: "the tick 10 s after the first",
    });
    const all = await runs();
    const ids = all.map((run) => run.id);
    expect(new Set(ids).size).toBe(ids.length);
    const window = all.filter((run) => run.at >= first.at && run.at < first.at + 10_000);
    expect(window.length).toBeGreaterThanOrEqual(9);
    expect(window.length).toBeLessThanOrEqual(11);
    // Ran by wall clock within the same 10 s as well, by whichever worker took each tick.
    const ranInWindow = all.filter(
      (run) => run.ranAt >= first.ranAt && run.ranAt < first.ranAt + 10_000,
    );
    expect(ranInWindow.length).toBeGreaterThanOrEqual(9);
    expect(ranInWindow.length).toBeLessThanOrEqual(11);
    // The workers counted the runs they made: together, every run so far.
    let counted = 0;
    for (const worker of stack.workers) {
      const metrics = await scrape(`${await workerMetricsUrl(worker)}/metrics`);
      counted += metrics.value("linefleet_recurring_runs_total", { job: "heartbeat" });
    }
    expect(counted).toBeGreaterThanOrEqual(window.length);
    // At most the three workers took ticks.
    expect(new Set(all.map((run) => run.pid)).size).toBeLessThanOrEqual(3);
  });
});
