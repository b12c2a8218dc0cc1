import { describe, expect, it } from "vitest";
import { createBot } from "../src/index.ts";
import { fakeContext, text } from "./fake-context.ts";

const group = { source: { type: "group", groupId: "Cfriends", userId: "Ubob" } };
const room = { source: { type: "room", roomId: "Rtrio", userId: "Ubob" } };

/** A text in a group that mentions the bot as LINE marks it (`isSelf`). */
const mentioning = (value: string, handle = "@Coffee bot") => ({
  ...text(value, {
    mention: {
      mentionees: [
        { index: value.indexOf(handle), length: handle.length, type: "user", isSelf: true },
      ],
    },
  }),
  ...group,
});

describe("ctx.text", () => {
  it("is the text as sent, and without the bot's mention", () => {
    const { context } = fakeContext(mentioning("@Coffee bot Menu"));
    expect(context.text).toBe("@Coffee bot Menu");
    expect(context.textWithoutMention).toBe("Menu");
    expect(context.isMentioned).toBe(true);
  });

  it("is undefined for events that are not text messages", () => {
    const sticker = fakeContext({ type: "message", message: { id: "m", type: "sticker" } });
    const follow = fakeContext({ type: "follow", follow: { isUnblocked: false } });
    for (const { context } of [sticker, follow]) {
      expect(context.text).toBeUndefined();
      expect(context.textWithoutMention).toBeUndefined();
    }
  });

  it("tells the chat type", () => {
    expect(fakeContext(text("hi")).context.chatType).toBe("user");
    expect(fakeContext({ ...text("hi"), ...group }).context.chatType).toBe("group");
    expect(fakeContext({ ...text("hi"), ...room }).context.chatType).toBe("room");
    expect(fakeContext({ type: "activated", source: undefined }).context.chatType).toBeUndefined();
  });
});

describe("onMention", () => {
  it("takes texts that mention the bot itself, with the mention stripped", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .onMention((_ctx, rest) => void seen.push(`mention: ${rest}`))
      .onText((_ctx, said) => void seen.push(`text: ${said}`));
    await bot.dispatch(fakeContext(mentioning("@Coffee bot Menu")).context);
    // Someone else mentioned: not the bot.
    const other = text("@Bob lunch?", {
      mention: { mentionees: [{ index: 0, length: 4, type: "user", userId: "Ubob" }] },
    });
    await bot.dispatch(fakeContext({ ...other, ...group }).context);
    await bot.dispatch(fakeContext({ ...text("lunch?"), ...group }).context);
    expect(seen).toEqual(["mention: Menu", "text: @Bob lunch?", "text: lunch?"]);
  });
});

describe("command", () => {
  const orders = () => {
    const seen: string[] = [];
    const bot = createBot()
      .command("order", (_ctx, args) => void seen.push(`order [${args}]`))
      .command("menu", () => void seen.push("menu"), { prefixes: ["/"] })
      .fallback((ctx) => void seen.push(`fallback ${ctx.text ?? ctx.event.type}`));
    return { bot, seen };
  };

  it("matches /order and LINE-style order, with its arguments", async () => {
    const { bot, seen } = orders();
    for (const said of ["/order latte", "Order two flat whites", "order", "orders latte"]) {
      await bot.dispatch(fakeContext(text(said)).context);
    }
    expect(seen).toEqual([
      "order [latte]",
      "order [two flat whites]",
      "order []",
      "fallback orders latte",
    ]);
  });

  it("matches in a group once the bot's mention is stripped", async () => {
    const { bot, seen } = orders();
    await bot.dispatch(fakeContext(mentioning("@Coffee bot order latte")).context);
    await bot.dispatch(fakeContext(mentioning("order @Coffee bot latte")).context);
    expect(seen).toEqual(["order [latte]", "order [latte]"]);
  });

  it("takes only the prefixes given", async () => {
    const { bot, seen } = orders();
    await bot.dispatch(fakeContext(text("menu")).context);
    await bot.dispatch(fakeContext(text("/menu")).context);
    expect(seen).toEqual(["fallback menu", "menu"]);
  });

  it("refuses a name that is not one word, or carries the prefix", () => {
    expect(() => createBot().command("/order", () => {})).toThrow(/one word without "\/"/);
    expect(() => createBot().command("order latte", () => {})).toThrow(/one word/);
    expect(() => createBot().command("", () => {})).toThrow(/one word/);
  });
});

describe("chat-type filters", () => {
  it("route events only from the chat types named", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .onText((ctx) => void seen.push(`group ${ctx.text}`), { chat: "group" })
      .onText((ctx) => void seen.push(`group or room ${ctx.text}`), { chat: ["group", "room"] })
      .onText((ctx) => void seen.push(`user ${ctx.text}`), { chat: "user" })
      .fallback((ctx) => void seen.push(`fallback ${ctx.event.type}`), { chat: "user" });
    await bot.dispatch(fakeContext({ ...text("a"), ...group }).context);
    await bot.dispatch(fakeContext({ ...text("b"), ...room }).context);
    await bot.dispatch(fakeContext(text("c")).context);
    await bot.dispatch(fakeContext({ type: "follow", follow: { isUnblocked: false } }).context);
    // No route for groups' follows (there are none) and no fallback for groups: nothing runs.
    await bot.dispatch(fakeContext({ type: "join", ...group }).context);
    expect(seen).toEqual(["group a", "group or room b", "user c", "fallback follow"]);
  });
});
