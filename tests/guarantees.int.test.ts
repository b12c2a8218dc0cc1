import { waitFor, waitForIdle } from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const REPLY = "/v2/bot/message/reply";
const PUSH = "/v2/bot/message/push";

/** Waits until the stack has finished every job: only then can "no second message" be asserted. */
const settled = (s: EmulatedStack) => waitForIdle(inject("redisUrl"), s.prefix);

describe("delivery guarantees (emulated LINE, real ingress and workers)", () => {
  let stack: EmulatedStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  const botMessages = (s: EmulatedStack, chatId: string) =>
    s.emulator.messages(chatId).filter((m) => m.from === "bot");
  const callsTo = (s: EmulatedStack, path: string) =>
    s.emulator.apiCalls().filter((call) => call.path === path);
  const firstUser = (s: EmulatedStack) => s.emulator.state().users[0]?.userId ?? "";

  it("shows one message for an event redelivered three times and duplicated once", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      // LINE redelivers what it thinks timed out; a 1 ms timeout makes every delivery look lost.
      emulator: { webhookTimeoutMs: 1, redelivery: { enabled: true, delaysMs: [100, 200, 300] } },
    });
    const user = firstUser(stack);
    const sent = stack.emulator.sendEvent({
      type: "text",
      from: user,
      text: "once",
      delivery: { duplicates: 1 },
    });
    await stack.emulator.waitForDeliveries((d) => d.webhookEventIds.includes(sent.webhookEventId), {
      count: 5,
      timeoutMs: 10_000,
    });
    await waitFor(() => botMessages(stack as EmulatedStack, user).length > 0, {
      what: "the answer",
    });
    await settled(stack);
    expect(botMessages(stack, user).map((m) => [m.via, m.message.text])).toEqual([
      ["reply", "once"],
    ]);
    const copies = stack.emulator
      .deliveries()
      .filter((d) => d.webhookEventIds.includes(sent.webhookEventId));
    expect(copies.filter((d) => d.isRedelivery)).toHaveLength(3);
  });

  it("replies once when LINE answers 500 then 200", async () => {
    stack = await startEmulatedStack({ redisUrl: inject("redisUrl") });
    stack.emulator.addFault({
      match: { path: REPLY },
      status: 500,
      body: { message: "Internal error" },
      times: 1,
    });
    const user = firstUser(stack);
    stack.emulator.sendEvent({ type: "text", from: user, text: "after a 500" });
    await waitFor(() => botMessages(stack as EmulatedStack, user).length > 0, {
      timeoutMs: 15_000,
      what: "the answer",
    });
    await settled(stack);
    expect(botMessages(stack, user).map((m) => [m.via, m.message.text])).toEqual([
      ["reply", "after a 500"],
    ]);
    expect(callsTo(stack, REPLY).map((call) => call.status)).toEqual([500, 200]);
  });

  it("waits out a 429's Retry-After, then pushes once", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: { REPLY_TOKEN_MAX_AGE_MS: "0" },
    });
    stack.emulator.addFault({
      match: { path: PUSH },
      status: 429,
      body: { message: "The API rate limit has been exceeded. Try again later." },
      headers: { "retry-after": "1" },
      times: 1,
    });
    const user = firstUser(stack);
    stack.emulator.sendEvent({ type: "text", from: user, text: "rate limited" });
    await waitFor(() => botMessages(stack as EmulatedStack, user).length > 0, {
      timeoutMs: 15_000,
      what: "the push",
    });
    await settled(stack);
    expect(botMessages(stack, user).map((m) => [m.via, m.message.text])).toEqual([
      ["push", "rate limited"],
    ]);
    const [limited, accepted] = callsTo(stack, PUSH);
    expect([limited?.status, accepted?.status]).toEqual([429, 200]);
    expect((accepted?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(accepted?.retryKey).toBe(limited?.retryKey);
  });

  it("pushes when the token is older than the threshold, and when LINE rejects it", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: { REPLY_TOKEN_MAX_AGE_MS: "0" },
    });
    const user = firstUser(stack);
    stack.emulator.sendEvent({ type: "text", from: user, text: "old token" });
    await waitFor(() => botMessages(stack as EmulatedStack, user).length > 0, { what: "the push" });
    expect(callsTo(stack, REPLY)).toHaveLength(0);
    expect(botMessages(stack, user).map((m) => [m.via, m.message.text])).toEqual([
      ["push", "old token"],
    ]);
    await stack.stop();

    // Tokens that die at once: LINE answers 400 Invalid reply token, and the answer is pushed.
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      emulator: { replyTokenTtlMs: 1 },
    });
    const other = firstUser(stack);
    stack.emulator.sendEvent({ type: "text", from: other, text: "dead token" });
    await waitFor(() => botMessages(stack as EmulatedStack, other).length > 0, {
      what: "the push",
    });
    await settled(stack);
    expect(callsTo(stack, REPLY).map((call) => call.status)).toEqual([400]);
    expect(botMessages(stack, other).map((m) => [m.via, m.message.text])).toEqual([
      ["push", "dead token"],
    ]);
  });

  it("does not push after a reply whose outcome is unknown, and records it as unknown", async () => {
    stack = await startEmulatedStack({ redisUrl: inject("redisUrl") });
    // LINE delivers the reply but the connection drops before the answer: the worker cannot know.
    stack.emulator.addFault({ match: { path: REPLY }, dropAfterAccept: true, times: 1 });
    const user = firstUser(stack);
    const sent = stack.emulator.sendEvent({ type: "text", from: user, text: "maybe" });
    await waitFor(() => callsTo(stack as EmulatedStack, REPLY).length >= 2, {
      timeoutMs: 15_000,
      what: "the retried reply",
    });
    await settled(stack);
    expect(botMessages(stack, user).map((m) => [m.via, m.message.text])).toEqual([
      ["reply", "maybe"],
    ]);
    expect(callsTo(stack, PUSH)).toHaveLength(0);
    // The event is done, so its ledger is gone; the worker said what it recorded.
    const unknown = await stack.workers[0]?.waitForLine(
      (line) =>
        line.msg === "reply outcome unknown; not re-sent" &&
        line.webhookEventId === sent.webhookEventId,
    );
    expect(unknown?.send).toMatchObject({ status: "unknown", via: "reply" });
  });

  it("shows no second message when a worker is killed after its push and another takes over", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: {
        BOT_MODULE: "tests/bots/push-then-stall.ts",
        STALL_AFTER_PUSH: "1",
        WORKER_LOCK_DURATION_MS: "1500",
      },
    });
    const user = firstUser(stack);
    stack.emulator.sendEvent({ type: "text", from: user, text: "exactly once" });
    const doomed = stack.workers[0];
    await doomed?.waitForLine((line) => line.msg === "stalling after push");
    expect(botMessages(stack, user)).toHaveLength(1);
    await doomed?.kill(); // SIGKILL: no cleanup, the job stays active with its lock

    const heir = await stack.addWorker({ STALL_AFTER_PUSH: "0" });
    // The dead attempt wrote nothing per send, so the heir pushes again, with the same retry key:
    // LINE answers 409, and the user sees nothing new.
    const again = await heir.waitForLine(
      (line) =>
        line.msg === "answer sent" &&
        (line.send as { alreadyAccepted?: boolean })?.alreadyAccepted === true,
      20_000,
    );
    expect(again).toBeDefined();
    await settled(stack);
    expect(botMessages(stack, user).map((m) => [m.via, m.message.text])).toEqual([
      ["push", "exactly once"],
    ]);
    expect(callsTo(stack, PUSH).map((call) => call.status)).toEqual([200, 409]);
  });
});
