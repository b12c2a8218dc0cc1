import { redisKeys } from "@linefleet/store";
import { scrape, waitFor, waitForIdle, workerMetricsUrl } from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const CHATS = 50;
const PER_CHAT = 4;
/** Every chat's i-th push is due at START + i × GAP: four waves, the kill between the 2nd and 3rd. */
const GAP_MS = 2_000;

describe("scheduled pushes across two worker processes, one killed halfway", () => {
  let stack: EmulatedStack;

  beforeAll(async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workers: 2,
      workerEnv: {
        BOT_MODULE: "tests/bots/scheduled-waves.ts",
        WORKER_CONCURRENCY: "8",
        WORKER_LOCK_DURATION_MS: "1000",
      },
      emulator: { users: Array.from({ length: CHATS }, (_, i) => ({ displayName: `user ${i}` })) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("sends each once, within 2 s of its time, in order per chat; a cancelled one never", async () => {
    const users = stack.emulator.state().users.map((u) => u.userId);
    const start = Date.now() + 4_000;
    stack.emulator.sendEvents({
      events: users.map((from, chat) => ({
        type: "text" as const,
        from,
        text: `plan ${chat} ${start} ${GAP_MS}`,
      })),
    });
    stack.emulator.sendEvents({
      events: users.map((from) => ({ type: "text" as const, from, text: "cancel" })),
    });
    const botMessages = () =>
      users.flatMap((user) => stack.emulator.messages(user).filter((m) => m.from === "bot"));
    const pushed = () => botMessages().filter((m) => /^\d+:/.test(String(m.message.text)));
    await waitFor(() => botMessages().filter((m) => m.via === "reply").length >= CHATS, {
      timeoutMs: 30_000,
      what: "every cancel answered",
    });
    expect(start).toBeGreaterThan(Date.now());
    // Every chat's four items wait; the fifth of each was cancelled.
    const metricsOf = async (index: number) =>
      scrape(
        `${await workerMetricsUrl(stack.workers[index] as EmulatedStack["workers"][0])}/metrics`,
      );
    const before = await metricsOf(1);
    expect(before.value("linefleet_scheduled_pending")).toBe(CHATS * PER_CHAT);

    // Half the pushes are out: kill -9 a worker before the third wave is due.
    await waitFor(() => pushed().length >= CHATS * 2, { timeoutMs: 30_000, what: "two waves" });
    const [doomed, survivor] = stack.workers;
    const doomedSent = doomed?.lines.filter(
      (entry) => typeof entry === "object" && entry.msg === "scheduled push sent",
    ).length;
    await doomed?.kill();
    await waitFor(() => pushed().length >= CHATS * PER_CHAT, {
      timeoutMs: 30_000,
      what: "every push",
    });
    // Nothing is left to run (the cancelled items included): what was sent is all there will be.
    await waitForIdle(inject("redisUrl"), stack.prefix);

    const lateness: number[] = [];
    users.forEach((user, chat) => {
      const messages = stack.emulator.messages(user).filter((m) => m.from === "bot");
      expect(messages.filter((m) => m.via === "reply").map((m) => m.message.text)).toEqual([
        "cancel: cancelled",
      ]);
      const pushes = messages.filter((m) => m.via === "push");
      // Exactly once each, in due order, and nothing cancelled.
      expect(pushes.map((m) => String(m.message.text).split("@")[0])).toEqual(
        Array.from({ length: PER_CHAT }, (_, i) => `${chat}:${i}`),
      );
      for (const push of pushes) {
        const due = Number(String(push.message.text).split("@")[1]);
        lateness.push(push.sentAt - due);
        // The push said it was scheduled work, and for when (the chat UI's badge).
        expect(push.scheduledFor).toBe(due);
      }
    });
    expect(lateness).toHaveLength(CHATS * PER_CHAT);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lateness)).toBeLessThan(2_000);
    // Both workers sent scheduled pushes: the killed one before its death, the other after.
    expect(doomedSent).toBeGreaterThan(0);
    expect(
      survivor?.lines.some(
        (entry) => typeof entry === "object" && entry.msg === "scheduled push sent",
      ),
    ).toBe(true);
    const after = await metricsOf(1);
    expect(after.value("linefleet_scheduled_pending")).toBe(0);
    expect(after.value("linefleet_scheduled_overdue")).toBe(0);
    expect(
      after.value("linefleet_scheduled_total", { channel: "default", outcome: "sent" }),
    ).toBeGreaterThan(0);
    const sorted = [...lateness].sort((a, b) => a - b);
    console.info(
      `scheduled lateness over ${lateness.length} pushes: median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms`,
    );
  });
});

describe("a scheduled handler whose worker is killed mid-send", () => {
  let stack: EmulatedStack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it("shows its push once: the worker that takes over pushes with the same retry key", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: {
        BOT_MODULE: "tests/bots/scheduled-stall.ts",
        STALL_AFTER_PUSH: "1",
        WORKER_LOCK_DURATION_MS: "1500",
      },
    });
    const s = stack;
    const user = s.emulator.state().users[0]?.userId ?? "";
    s.emulator.sendEvent({ type: "text", from: user, text: "later" });
    const doomed = s.workers[0];
    await doomed?.waitForLine((line) => line.msg === "stalling after push", 20_000);
    await doomed?.kill(); // SIGKILL: the item's job stays active with its lock, its attempt open
    const heir = await s.addWorker({ STALL_AFTER_PUSH: "0" });
    await heir.waitForLine(
      (line) =>
        line.msg === "answer sent" &&
        (line.send as { alreadyAccepted?: boolean })?.alreadyAccepted === true,
      20_000,
    );
    await waitForIdle(inject("redisUrl"), s.prefix);
    const shown = s.emulator.messages(user).filter((m) => m.from === "bot");
    expect(shown.map((m) => [m.via, m.message.text])).toEqual([["push", "scheduled, once"]]);
    const pushes = s.emulator.apiCalls().filter((call) => call.path === "/v2/bot/message/push");
    expect(pushes.map((call) => call.status)).toEqual([200, 409]);
  });
});

describe("scheduled pushes across a restart of the whole fleet", () => {
  let stack: EmulatedStack | undefined;
  const redis = new Redis(inject("redisUrl"));
  afterAll(async () => {
    await stack?.stop();
    redis.disconnect();
  });

  it("sends what fell due while no worker ran once one starts: each once, in order", async () => {
    const chats = 5;
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: { BOT_MODULE: "tests/bots/scheduled-waves.ts" },
      emulator: { users: Array.from({ length: chats }, (_, i) => ({ displayName: `user ${i}` })) },
    });
    const s = stack;
    const users = s.emulator.state().users.map((u) => u.userId);
    const start = Date.now() + 4_000;
    s.emulator.sendEvents({
      events: users.map((from, chat) => ({
        type: "text" as const,
        from,
        text: `plan ${chat} ${start} 300`,
      })),
    });
    s.emulator.sendEvents({
      events: users.map((from) => ({ type: "text" as const, from, text: "cancel" })),
    });
    const replies = () =>
      users.flatMap((user) =>
        s.emulator.messages(user).filter((m) => m.from === "bot" && m.via === "reply"),
      );
    await waitFor(() => replies().length >= chats, {
      timeoutMs: 20_000,
      what: "every cancel answered",
    });
    // The fleet goes away (SIGTERM: it finishes what it runs) before anything is due.
    await s.workers[0]?.stop();
    expect(Date.now()).toBeLessThan(start);
    // Every item falls due with no worker running: all of them wait, overdue, in Redis.
    const due = redisKeys(s.prefix).scheduledDue(0);
    await waitFor(
      async () => (await redis.zcount(due, "-inf", Date.now() - 1_000)) === chats * 4 || undefined,
      {
        timeoutMs: 15_000,
        what: "every item overdue",
      },
    );
    expect(
      users.flatMap((user) => s.emulator.messages(user).filter((m) => m.via === "push")),
    ).toEqual([]);

    await s.addWorker({});
    await waitFor(
      () =>
        users.every(
          (user) => s.emulator.messages(user).filter((m) => m.via === "push").length >= 4,
        ),
      { timeoutMs: 20_000, what: "every push after the restart" },
    );
    await waitForIdle(inject("redisUrl"), s.prefix);
    users.forEach((user, chat) => {
      const pushes = s.emulator.messages(user).filter((m) => m.from === "bot" && m.via === "push");
      expect(pushes.map((m) => String(m.message.text).split("@")[0])).toEqual(
        [0, 1, 2, 3].map((i) => `${chat}:${i}`),
      );
    });
  });
});
