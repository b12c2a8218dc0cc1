import { waitFor } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const CHATS = 20;
const PER_CHAT = 10;

describe("ordered lanes across two worker processes", () => {
  let stack: EmulatedStack;

  beforeAll(async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workers: 2,
      workerEnv: {
        BOT_MODULE: "tests/bots/slow-echo.ts",
        WORKER_CONCURRENCY: "8",
        MAX_DELAY_MS: "60",
      },
      emulator: { users: Array.from({ length: CHATS }, (_, i) => ({ displayName: `user ${i}` })) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("answers each chat's events in timestamp order while chats run in parallel", async () => {
    const users = stack.emulator.state().users.map((u) => u.userId);
    // Interleave chats the way LINE would: event i of every chat, then event i + 1, … ten to a webhook.
    const inputs = Array.from({ length: PER_CHAT }, (_, i) =>
      users.map((from, chat) => ({ type: "text" as const, from, text: `${chat}:${i}` })),
    ).flat();
    for (let i = 0; i < inputs.length; i += 10) {
      stack.emulator.sendEvents({ events: inputs.slice(i, i + 10) });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    const answered = () =>
      users.flatMap((user) => stack.emulator.messages(user).filter((m) => m.from === "bot"));
    await waitFor(() => answered().length >= CHATS * PER_CHAT, {
      timeoutMs: 45_000,
      what: "every answer",
    });

    users.forEach((user, chat) => {
      const texts = stack.emulator
        .messages(user)
        .filter((m) => m.from === "bot")
        .map((m) => String(m.message.text));
      expect(texts).toEqual(Array.from({ length: PER_CHAT }, (_, i) => `${chat}:${i}`));
    });
    // Chats interleave: the first answers come from many chats, not one chat after another.
    const firstAnswers = answered()
      .sort((a, b) => a.sentAt - b.sentAt)
      .slice(0, CHATS);
    expect(new Set(firstAnswers.map((m) => m.chatId)).size).toBeGreaterThan(CHATS / 2);
    // Both workers took part.
    for (const worker of stack.workers) {
      expect(
        worker.lines.some((entry) => typeof entry === "object" && entry.msg === "answer sent"),
      ).toBe(true);
    }
  });
});
