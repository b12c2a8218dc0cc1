import {
  type LineRecorder,
  makeEnvelope,
  makeTextMessageEvent,
  makeUserId,
  signedWebhook,
  startLineRecorder,
  waitFor,
} from "@linefleet/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Stack, startStack } from "./stack.ts";

const CHATS = 20;
const PER_CHAT = 10;

describe("ordered lanes across two worker processes", () => {
  let line: LineRecorder;
  let stack: Stack;

  beforeAll(async () => {
    line = await startLineRecorder();
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: line.url,
      workers: 2,
      workerEnv: {
        BOT_MODULE: "tests/bots/slow-echo.ts",
        WORKER_CONCURRENCY: "8",
        MAX_DELAY_MS: "60",
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await line?.close();
  });

  it("answers each chat's events in timestamp order while chats run in parallel", async () => {
    const users = Array.from({ length: CHATS }, () => makeUserId());
    const start = Date.now();
    // Interleave chats the way LINE would: event i of every chat, then event i + 1 …
    const events = Array.from({ length: PER_CHAT }, (_, i) =>
      users.map((userId, chat) =>
        makeTextMessageEvent(`${chat}:${i}`, {
          timestamp: start + i * 10 + chat,
          source: { type: "user", userId },
        }),
      ),
    ).flat();
    for (let i = 0; i < events.length; i += 10) {
      const { body, headers } = signedWebhook(
        makeEnvelope(events.slice(i, i + 10)),
        stack.channelSecret,
      );
      expect(
        (await fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers })).status,
      ).toBe(200);
    }

    const replies = () =>
      line
        .callsTo("/v2/bot/message/reply")
        .map((call) => (call.body as { messages: { text: string }[] }).messages[0]?.text ?? "");
    await waitFor(() => replies().length >= CHATS * PER_CHAT, {
      timeoutMs: 45_000,
      what: "every reply",
    });

    const order = replies();
    expect(new Set(order).size).toBe(CHATS * PER_CHAT);
    for (let chat = 0; chat < CHATS; chat++) {
      const ofChat = order
        .filter((text) => text.startsWith(`${chat}:`))
        .map((text) => Number(text.split(":")[1]));
      expect(ofChat).toEqual([...Array(PER_CHAT).keys()]);
    }
    // Chats interleave: the first replies come from many chats, not one chat after another.
    const firstChats = new Set(order.slice(0, CHATS).map((text) => text.split(":")[0]));
    expect(firstChats.size).toBeGreaterThan(CHATS / 2);
    // Both workers took part.
    for (const worker of stack.workers) {
      expect(
        worker.lines.some((entry) => typeof entry === "object" && entry.msg === "answer sent"),
      ).toBe(true);
    }
  });
});
