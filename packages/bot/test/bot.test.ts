import type { SendReport } from "@linefleet/line-client";
import type { WebhookEvent } from "@linefleet/webhook";
import { describe, expect, it } from "vitest";
import { type BotContext, createBot, createEchoBot, type Say } from "../src/index.ts";

function contextFor(event: Record<string, unknown>) {
  const replies: Say[][] = [];
  const logs: string[] = [];
  const report: SendReport = {
    status: "delivered",
    via: "reply",
    requestId: undefined,
    alreadyAccepted: false,
  };
  const context: BotContext = {
    event: { webhookEventId: "01E", timestamp: 0, ...event } as WebhookEvent,
    destination: "Ubot",
    channel: { name: "default", botUserId: "Ubot" },
    chatId: "Uuser",
    isRedelivery: false,
    replyDeadline: 0,
    log: {
      info: (_object, message) => logs.push(message ?? ""),
      warn: () => {},
      error: () => {},
      debug: () => {},
    },
    reply: async (...messages) => {
      replies.push(messages);
      return report;
    },
    push: async () => report,
    line: {} as BotContext["line"],
  };
  return { context, replies, logs };
}

describe("Bot", () => {
  it("routes each event to the handlers of its type, in order", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .on("follow", () => void seen.push("follow 1"))
      .on("follow", () => void seen.push("follow 2"))
      .on("postback", (context) => void seen.push(`postback ${context.event.postback.data}`))
      .fallback(() => void seen.push("fallback"));
    await bot.dispatch(contextFor({ type: "follow" }).context);
    await bot.dispatch(contextFor({ type: "postback", postback: { data: "a=1" } }).context);
    expect(seen).toEqual(["follow 1", "follow 2", "postback a=1"]);
  });

  it("sends events nobody handles, including types LINE adds later, to the fallback", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .on("message", () => void seen.push("message"))
      .fallback((context) => void seen.push(`fallback ${context.event.type}`));
    await bot.dispatch(contextFor({ type: "unfollow" }).context);
    await bot.dispatch(contextFor({ type: "typeFromTheFuture" }).context);
    expect(seen).toEqual(["fallback unfollow", "fallback typeFromTheFuture"]);
  });

  it("propagates a handler's error so the event can be retried", async () => {
    const bot = createBot().on("follow", () => {
      throw new Error("database down");
    });
    await expect(bot.dispatch(contextFor({ type: "follow" }).context)).rejects.toThrow(
      "database down",
    );
  });
});

describe("the echo bot", () => {
  it("answers a text with the same text and ignores other messages", async () => {
    const bot = createEchoBot();
    const text = contextFor({
      type: "message",
      message: { id: "1", type: "text", text: "hello", quoteToken: "q" },
    });
    const sticker = contextFor({
      type: "message",
      message: { id: "2", type: "sticker", packageId: "1", stickerId: "1" },
    });
    await bot.dispatch(text.context);
    await bot.dispatch(sticker.context);
    expect(text.replies).toEqual([["hello"]]);
    expect(sticker.replies).toEqual([]);
  });

  it("logs events it has no handler for", async () => {
    const follow = contextFor({ type: "follow", follow: { isUnblocked: false } });
    await createEchoBot().dispatch(follow.context);
    expect(follow.logs).toEqual(["no handler for this event"]);
  });
});
