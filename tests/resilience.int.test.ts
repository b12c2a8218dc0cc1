import {
  startLocalRedisServer,
  type TestRedis,
  waitFor,
  waitForIdle,
} from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("resilience", () => {
  let stack: EmulatedStack | undefined;
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await stack?.stop();
    await redis?.close();
    stack = undefined;
    redis = undefined;
  });

  /** Every user's chat, as [via, text] of the bot's messages. */
  const answers = (s: EmulatedStack) =>
    s.emulator
      .state()
      .users.flatMap((user) => s.emulator.messages(user.userId))
      .filter((m) => m.from === "bot")
      .map((m) => String(m.message.text));

  it("loses no acknowledged event when Redis restarts mid-run (AOF on)", async () => {
    redis = await startLocalRedisServer({ appendOnly: true });
    stack = await startEmulatedStack({
      redisUrl: redis.url,
      workers: 2,
      workerEnv: { WORKER_LOCK_DURATION_MS: "2000" },
      emulator: { users: [{ displayName: "A" }, { displayName: "B" }, { displayName: "C" }] },
    });
    const users = stack.emulator.state().users.map((u) => u.userId);
    const texts: string[] = [];
    for (let i = 0; i < 45; i++) {
      if (i === 15) await redis.stop();
      if (i === 25) await redis.start();
      const text = `m${i}`;
      texts.push(text);
      stack.emulator.sendEvent({ type: "text", from: users[i % users.length], text });
      await sleep(60);
    }
    const s = stack;
    await waitFor(() => answers(s).length >= texts.length, {
      timeoutMs: 45_000,
      what: "every answer",
    });
    await waitForIdle((redis as TestRedis).url, s.prefix);
    expect(answers(s).sort()).toEqual([...texts].sort());
    // Some requests were refused during the outage and came back as redeliveries.
    const refused = s.emulator.deliveries().filter((d) => d.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    // Every delivery the ingress acknowledged was answered (checked above: all were).
    expect(s.emulator.deliveries().some((d) => d.isRedelivery && d.status === 200)).toBe(true);
  });

  it("loses and doubles nothing when a worker gets SIGTERM during a burst", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workers: 2,
      workerEnv: {
        BOT_MODULE: "tests/bots/slow-echo.ts",
        MAX_DELAY_MS: "150",
        WORKER_CONCURRENCY: "4",
      },
      emulator: { users: Array.from({ length: 10 }, (_, i) => ({ displayName: `user ${i}` })) },
    });
    const s = stack;
    const users = s.emulator.state().users.map((u) => u.userId);
    const texts = Array.from({ length: 120 }, (_, i) => `burst ${i}`);
    texts.forEach((text, i) => {
      s.emulator.sendEvent({ type: "text", from: users[i % users.length], text });
    });
    await waitFor(() => answers(s).length >= 20, {
      timeoutMs: 20_000,
      what: "the burst under way",
    });
    const leaving = s.workers[0];
    const exitCode = await leaving?.stop();
    expect(exitCode).toBe(0); // it finished its in-flight events within the grace period
    expect(answers(s).length).toBeLessThan(texts.length);

    await waitFor(() => answers(s).length >= texts.length, {
      timeoutMs: 45_000,
      what: "every answer",
    });
    await waitForIdle(inject("redisUrl"), s.prefix);
    expect(answers(s).sort()).toEqual([...texts].sort());
  });
});
