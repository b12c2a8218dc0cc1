import { createEchoBot } from "@linefleet/example-echo-bot";
import { describe, expect, it } from "vitest";
import { createBot } from "../src/index.ts";
import { fakeContext, text } from "./fake-context.ts";

const textsOf = (sent: ReturnType<typeof fakeContext>["sent"]) =>
  sent.map((s) => [s.via, ...(s.messages ?? []).map((m) => (m as { text?: string }).text)]);

describe("routing", () => {
  it("sends an event to the first matching route of its type, in registration order", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .on("follow", () => void seen.push("follow 1"))
      .on("follow", () => void seen.push("follow 2"))
      .on("postback", (ctx) => void seen.push(`postback ${ctx.event.postback.data}`))
      .fallback(() => void seen.push("fallback"));
    await bot.dispatch(fakeContext({ type: "follow", follow: { isUnblocked: true } }).context);
    await bot.dispatch(fakeContext({ type: "postback", postback: { data: "a=1" } }).context);
    expect(seen).toEqual(["follow 1", "postback a=1"]);
  });

  it("sends events no route matches, including types LINE adds later, to the fallback", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .onText("hi", () => void seen.push("hi"))
      .fallback((ctx) => void seen.push(`fallback ${ctx.event.type}`));
    await bot.dispatch(fakeContext({ type: "unfollow" }).context);
    await bot.dispatch(fakeContext({ type: "typeFromTheFuture" }).context);
    await bot.dispatch(fakeContext(text("bye")).context);
    await bot.dispatch(fakeContext(text("hi")).context);
    expect(seen).toEqual([
      "fallback unfollow",
      "fallback typeFromTheFuture",
      "fallback message",
      "hi",
    ]);
  });

  it("routes every event type LINE documents to its own route", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .on("follow", (ctx) => void seen.push(`follow unblocked=${ctx.event.follow.isUnblocked}`))
      .on("unfollow", () => void seen.push("unfollow"))
      .on("join", () => void seen.push("join"))
      .on("leave", () => void seen.push("leave"))
      .on("memberJoined", (ctx) => void seen.push(`joined ${ctx.event.joined.members.length}`))
      .on("memberLeft", (ctx) => void seen.push(`left ${ctx.event.left.members.length}`))
      .on("messageEdited", () => void seen.push("messageEdited"))
      .on(
        "videoPlayComplete",
        (ctx) => void seen.push(`video ${ctx.event.videoPlayComplete.trackingId}`),
      )
      .on("beacon", (ctx) => void seen.push(`beacon ${ctx.event.beacon.type}`))
      .on("accountLink", (ctx) => void seen.push(`accountLink ${ctx.event.link.result}`))
      .on("membership", () => void seen.push("membership"))
      .fallback((ctx) => void seen.push(`fallback ${ctx.event.type}`));
    const members = { members: [{ type: "user", userId: "Ubob" }] };
    for (const event of [
      { type: "follow", follow: { isUnblocked: true } },
      { type: "unfollow" },
      { type: "join" },
      { type: "leave" },
      { type: "memberJoined", joined: members },
      { type: "memberLeft", left: members },
      { type: "messageEdited", message: { id: "1", type: "text", text: "fixed" } },
      { type: "videoPlayComplete", videoPlayComplete: { trackingId: "t1" } },
      { type: "beacon", beacon: { hwid: "d41d8cd98f", type: "enter" } },
      { type: "accountLink", link: { result: "ok", nonce: "n" } },
      { type: "membership", membership: { type: "joined", membershipId: 1 } },
      { type: "activated" },
    ]) {
      await bot.dispatch(fakeContext(event).context);
    }
    expect(seen).toEqual([
      "follow unblocked=true",
      "unfollow",
      "join",
      "leave",
      "joined 1",
      "left 1",
      "messageEdited",
      "video t1",
      "beacon enter",
      "accountLink ok",
      "membership",
      "fallback activated",
    ]);
  });

  it("routes messages by their type", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .onMessage("image", (_ctx, image) => void seen.push(`image ${image.id}`))
      .onMessage("location", (_ctx, place) => void seen.push(`at ${place.latitude}`))
      .onMessage("sticker", (ctx) => void seen.push(`sticker ${ctx.event.message.stickerId}`))
      .fallback(() => void seen.push("fallback"));
    const message = (m: Record<string, unknown>) =>
      fakeContext({ type: "message", message: m }).context;
    await bot.dispatch(message({ id: "i1", type: "image", contentProvider: { type: "line" } }));
    await bot.dispatch(message({ id: "l1", type: "location", latitude: 35.6, longitude: 139.7 }));
    await bot.dispatch(message({ id: "s1", type: "sticker", packageId: "1", stickerId: "2" }));
    await bot.dispatch(message({ id: "v1", type: "video" }));
    expect(seen).toEqual(["image i1", "at 35.6", "sticker 2", "fallback"]);
  });

  it("gives events in standby mode only to routes that ask for them", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .onText((_ctx, t) => void seen.push(`active ${t}`))
      .on("follow", () => void seen.push("standby follow"), { standby: true })
      .fallback(() => void seen.push("fallback"));
    await bot.dispatch(fakeContext({ ...text("watch"), mode: "standby" }).context);
    await bot.dispatch(fakeContext({ type: "follow", mode: "standby" }).context);
    await bot.dispatch(fakeContext(text("talk")).context);
    expect(seen).toEqual(["standby follow", "active talk"]);
  });

  it("hands unsend routes the unsent message's id", async () => {
    const forgotten: string[] = [];
    const bot = createBot().onUnsend((_ctx, id) => void forgotten.push(id));
    await bot.dispatch(fakeContext({ type: "unsend", unsend: { messageId: "325708" } }).context);
    expect(forgotten).toEqual(["325708"]);
  });

  it("propagates a handler's error so the event can be retried", async () => {
    const bot = createBot().on("follow", () => {
      throw new Error("database down");
    });
    await expect(bot.dispatch(fakeContext({ type: "follow" }).context)).rejects.toThrow(
      "database down",
    );
  });
});

describe("text matchers", () => {
  it("matches exact strings, then RegExps with captures, then the catch-all", async () => {
    const seen: unknown[] = [];
    const bot = createBot()
      .onText("help", (_ctx, t) => void seen.push(["exact", t]))
      .onText(
        /^buy (\d+) (?<item>\w+)$/,
        (_ctx, match) => void seen.push(["regexp", match[1], match.groups?.item]),
      )
      .onText(/x/g, (_ctx, match) => void seen.push(["global", match.index]))
      .onText((_ctx, t) => void seen.push(["any", t]));
    for (const t of ["help", "buy 3 apples", "help me", "xx", "xx"]) {
      await bot.dispatch(fakeContext(text(t)).context);
    }
    expect(seen).toEqual([
      ["exact", "help"],
      ["regexp", "3", "apples"],
      ["any", "help me"],
      ["global", 0],
      // A global RegExp starts from 0 for each event, not where the last match ended.
      ["global", 0],
    ]);
  });

  it("tells whether the bot was mentioned", async () => {
    const mentioned = fakeContext(
      text("@bot hi", {
        mention: { mentionees: [{ index: 0, length: 4, type: "user", isSelf: true }] },
      }),
    ).context;
    const other = fakeContext(
      text("@bob hi", {
        mention: { mentionees: [{ index: 0, length: 4, type: "user", isSelf: false }] },
      }),
    ).context;
    expect([
      mentioned.isMentioned,
      other.isMentioned,
      fakeContext(text("hi")).context.isMentioned,
    ]).toEqual([true, false, false]);
  });
});

describe("postback matchers", () => {
  const postback = (data: string, params?: Record<string, string>) =>
    fakeContext({ type: "postback", postback: { data, ...(params ? { params } : {}) } }).context;

  it("match by data, by RegExp and by a query-string key (with or without a value)", async () => {
    const seen: unknown[] = [];
    const bot = createBot()
      .onPostback("action=menu", (_ctx, p) => void seen.push(["data", p.data]))
      .onPostback({ key: "plan", value: "pro" }, (_ctx, p) => void seen.push(["pro", p.value]))
      .onPostback(
        { key: "plan" },
        (_ctx, p) => void seen.push(["plan", p.value, p.query.get("from")]),
      )
      .onPostback(/^item-(\d+)$/, (_ctx, p) => void seen.push(["regexp", p.match?.[1]]))
      .onPostback((_ctx, p) => void seen.push(["any", p.data]));
    for (const data of ["action=menu", "plan=pro", "plan=free&from=menu", "item-42", "other"]) {
      await bot.dispatch(postback(data));
    }
    expect(seen).toEqual([
      ["data", "action=menu"],
      ["pro", "pro"],
      ["plan", "free", "menu"],
      ["regexp", "42"],
      ["any", "other"],
    ]);
  });

  it("types the date and time pickers' params", async () => {
    const seen: string[] = [];
    const bot = createBot().onPostback((_ctx, p) => {
      const params = p.params;
      if (!params) seen.push("none");
      else if ("date" in params) seen.push(`date ${params.date}`);
      else if ("datetime" in params) seen.push(`datetime ${params.datetime}`);
      else if ("time" in params) seen.push(`time ${params.time}`);
    });
    await bot.dispatch(postback("a=1", { date: "2026-12-24" }));
    await bot.dispatch(postback("a=1", { time: "10:30" }));
    await bot.dispatch(postback("a=1", { datetime: "2026-12-24T10:30" }));
    await bot.dispatch(postback("a=1"));
    expect(seen).toEqual(["date 2026-12-24", "time 10:30", "datetime 2026-12-24T10:30", "none"]);
  });
});

describe("middleware", () => {
  it("runs in order around the route; next() goes on, not calling it stops the event", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .use(async (_ctx, next) => {
        seen.push("outer in");
        await next();
        seen.push("outer out");
      })
      .use(async (ctx, next) => {
        if (ctx.event.type === "unfollow") return;
        await next();
      })
      .onText((_ctx, t) => void seen.push(`handler ${t}`))
      .fallback(() => void seen.push("fallback"));
    await bot.dispatch(fakeContext(text("hi")).context);
    await bot.dispatch(fakeContext({ type: "unfollow" }).context);
    expect(seen).toEqual(["outer in", "handler hi", "outer out", "outer in", "outer out"]);
  });

  it("adds to the context what later middleware and handlers read", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .use<{ user: { name: string } }>(async (ctx, next) => {
        ctx.user = { name: ctx.userId === "Ualice" ? "Alice" : "?" };
        await next();
      })
      .extend((ctx) => ({ greeting: `Hello ${ctx.user.name}` }))
      .onText((ctx) => void seen.push(ctx.greeting));
    await bot.dispatch(fakeContext(text("hi")).context);
    expect(seen).toEqual(["Hello Alice"]);
  });

  it("refuses a middleware calling next() twice", async () => {
    const bot = createBot()
      .use(async (_ctx, next) => {
        await next();
        await next();
      })
      .onText(() => {});
    await expect(bot.dispatch(fakeContext(text("hi")).context)).rejects.toThrow(/more than once/);
  });
});

describe("the echo bot", () => {
  it("answers a text with the same text and ignores other messages", async () => {
    const bot = createEchoBot();
    const hello = fakeContext(text("hello"));
    const sticker = fakeContext({
      type: "message",
      message: { id: "2", type: "sticker", packageId: "1", stickerId: "1" },
    });
    await bot.dispatch(hello.context);
    await bot.dispatch(sticker.context);
    expect(textsOf(hello.sent)).toEqual([["reply", "hello"]]);
    expect(sticker.sent).toEqual([]);
  });

  it("logs events it has no handler for", async () => {
    const follow = fakeContext({ type: "follow", follow: { isUnblocked: false } });
    await createEchoBot().dispatch(follow.context);
    expect(follow.logs).toEqual(["no handler for this event"]);
  });
});
