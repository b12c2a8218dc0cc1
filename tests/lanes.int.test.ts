import { waitFor } from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

describe("a lane behind a retried event", () => {
  let stack: EmulatedStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  const texts = (s: EmulatedStack, chatId: string) =>
    s.emulator
      .messages(chatId)
      .filter((m) => m.from === "bot")
      .map((m) => String(m.message.text));

  it("keeps the retried event's place: the chat's later events wait for it", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workers: 2,
      workerEnv: { BOT_MODULE: "tests/bots/retry-first-attempt.ts", RETRY_AFTER_MS: "800" },
      emulator: { users: [{ displayName: "ordered" }, { displayName: "independent" }] },
    });
    const s = stack;
    const [user, other] = s.emulator.state().users.map((u) => u.userId) as [string, string];
    s.emulator.sendEvent({ type: "text", from: user, text: "hold: first" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    s.emulator.sendEvent({ type: "text", from: user, text: "second" });
    s.emulator.sendEvent({ type: "text", from: other, text: "another chat" });

    // Other chats are not held up.
    await waitFor(() => texts(s, other).length === 1, { what: "the other chat's answer" });
    expect(texts(s, user)).toEqual([]);
    await waitFor(() => texts(s, user).length === 2, { timeoutMs: 15_000, what: "both answers" });
    expect(texts(s, user)).toEqual(["hold: first", "second"]);
  });

  it("moves on after the bound, and says so", async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: {
        BOT_MODULE: "tests/bots/retry-first-attempt.ts",
        RETRY_AFTER_MS: "4000",
        LANE_MAX_WAIT_MS: "1000",
      },
    });
    const s = stack;
    const user = s.emulator.state().users[0]?.userId ?? "";
    const sentAt = Date.now();
    s.emulator.sendEvent({ type: "text", from: user, text: "hold: slow" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    s.emulator.sendEvent({ type: "text", from: user, text: "not waiting forever" });

    const movedOn = await s.workers[0]?.waitForLine(
      (line) => line.msg === "lane moved on: an earlier event of this chat is still pending",
    );
    expect(movedOn?.blockedBy).toBeDefined();
    await waitFor(() => texts(s, user).length === 2, { timeoutMs: 15_000, what: "both answers" });
    expect(texts(s, user)).toEqual(["not waiting forever", "hold: slow"]);
    // Moving on did not cut the held event's requested wait short.
    const heldAnswer = s.emulator
      .messages(user)
      .find((m) => m.from === "bot" && m.message.text === "hold: slow");
    expect((heldAnswer?.sentAt ?? 0) - sentAt).toBeGreaterThanOrEqual(3_900);
  });
});
