import type { LineClient, Message } from "@linefleet/line-client";
import type { WebhookEvent } from "@linefleet/webhook";
import { describe, expect, it } from "vitest";
import {
  type BotServices,
  type BotStorage,
  ContextUsageError,
  createBot,
  type Profile,
  type Responder,
  runBot,
  type ScheduledWork,
  type StoredSession,
} from "../src/index.ts";

/** A BotStorage in memory that keeps each chat's conversation beside its session, as Redis does. */
function memoryStorage() {
  const sessions = new Map<string, StoredSession>();
  let version = 0;
  const storage: BotStorage = {
    async loadSession() {
      return sessions.get("chat") ?? { version: "", json: undefined };
    },
    async saveSession(_destination, _source, expected, json, _ttl, conversation) {
      const stored = sessions.get("chat");
      if ((stored?.version ?? "") !== expected) return false;
      sessions.set("chat", {
        version: String(++version),
        json: json === "" ? stored?.json : json,
        conversation:
          conversation === undefined ? stored?.conversation : (conversation ?? undefined),
      });
      return true;
    },
    async loadProfile(): Promise<Profile | undefined> {
      return undefined;
    },
    async saveProfile() {},
  };
  return { storage, stored: () => sessions.get("chat") };
}

let sequence = 0;
const chat = { type: "user", userId: "Ualice" };
const textEvent = (text: string, mode = "active") =>
  ({
    type: "message",
    mode,
    timestamp: Date.now(),
    webhookEventId: `01EVENT${++sequence}`,
    source: chat,
    replyToken: "token",
    deliveryContext: { isRedelivery: false },
    message: { id: `m${sequence}`, type: "text", text, quoteToken: "q" },
  }) as unknown as WebhookEvent;
const scheduledEvent = (name: string, data: unknown) =>
  ({
    type: "scheduled",
    mode: "active",
    timestamp: Date.now(),
    webhookEventId: `S${++sequence}`,
    source: chat,
    deliveryContext: { isRedelivery: false },
    scheduled: { id: `s${sequence}`, name, scheduledAt: Date.now(), data },
  }) as unknown as WebhookEvent;

/** Runs events through runBot as a runtime would, recording what was sent, scheduled, logged. */
function harness(bot: Parameters<typeof runBot>[0]) {
  const memory = memoryStorage();
  const sent: string[] = [];
  const scheduled: Array<{ at: number; work: ScheduledWork }> = [];
  const warnings: string[] = [];
  const ended: string[] = [];
  const responder: Responder = {
    replyDeadline: Number.MAX_SAFE_INTEGER,
    async reply(messages: Message[]) {
      for (const m of messages) sent.push((m as { text: string }).text);
      return { status: "delivered", via: "reply", requestId: undefined, alreadyAccepted: false };
    },
    async push(messages: Message[]) {
      for (const m of messages) sent.push(`push: ${(m as { text: string }).text}`);
      return { status: "delivered", via: "push", requestId: undefined, alreadyAccepted: false };
    },
  };
  const log = {
    info() {},
    debug() {},
    error() {},
    warn: (...args: unknown[]) => void warnings.push(String(args[1] ?? args[0])),
  };
  const run = (event: WebhookEvent) =>
    runBot(bot, {
      destination: "Ubot",
      event,
      channel: { name: "default" },
      client: {} as LineClient,
      responder,
      storage: memory.storage,
      services: {} as BotServices,
      log,
      now: () => 1_000,
      scheduler: {
        async schedule(at, work) {
          scheduled.push({ at, work });
          return { id: `t${scheduled.length}` };
        },
        cancel: async () => ({ status: "unknown" }),
      },
      conversations: { ended: (name, how) => void ended.push(`${name}: ${how}`) },
    });
  return { ...memory, run, sent, scheduled, warnings, ended };
}

describe("conversations, replayed from the chat's session", () => {
  it("sends what earlier steps sent once, and keeps the log without a bot session", async () => {
    const bot = createBot()
      .conversation("pair", async (conv, ctx) => {
        await ctx.reply("first?");
        const first = await conv.wait();
        await first.reply(`got ${first.text}; second?`);
        const second = await conv.wait();
        await second.reply(`${first.text} and ${second.text}`);
      })
      .onText("go", (ctx) => ctx.enter("pair"))
      .onText((ctx, text) => ctx.reply(`route: ${text}`));
    const test = harness(bot);
    await test.run(textEvent("go"));
    expect(test.stored()?.json).toBeUndefined();
    expect(JSON.parse(test.stored()?.conversation ?? "{}")).toMatchObject({
      name: "pair",
      waits: 1,
    });
    await test.run(textEvent("a"));
    await test.run(textEvent("b"));
    await test.run(textEvent("c"));
    expect(test.sent).toEqual(["first?", "got a; second?", "a and b", "route: c"]);
    expect(test.stored()?.conversation).toBeUndefined();
    expect(test.ended).toEqual(["pair: returned"]);
  });

  it("lets events other than messages and postbacks, and standby ones, through to the routes", async () => {
    const bot = createBot()
      .conversation("hold", async (conv) => {
        await conv.wait();
      })
      .onText("go", (ctx) => ctx.enter("hold"))
      .onText((ctx, text) => ctx.reply(`route: ${text}`), { standby: true })
      .on("follow", (ctx) => ctx.reply("followed"));
    const test = harness(bot);
    await test.run(textEvent("go"));
    await test.run({ ...textEvent("x"), type: "follow", follow: { isUnblocked: false } } as never);
    await test.run(textEvent("watching", "standby"));
    expect(test.sent).toEqual(["followed", "route: watching"]);
    expect(test.stored()?.conversation).toBeDefined();
  });

  it("ends one whose code no longer replays as recorded, and gives the event to the routes", async () => {
    const v1 = createBot()
      .conversation("code", async (conv) => {
        await conv.external(() => 42);
        await conv.wait();
      })
      .onText("go", (ctx) => ctx.enter("code"));
    const test = harness(v1);
    await test.run(textEvent("go"));
    // The next deploy waits where a value was recorded.
    const v2 = createBot()
      .conversation("code", async (conv) => {
        await conv.wait();
      })
      .onText((ctx, text) => ctx.reply(`route: ${text}`));
    const next = harness(v2);
    await next.storage.saveSession("Ubot", chat, "", "", undefined, test.stored()?.conversation);
    await next.run(textEvent("hello"));
    expect(next.sent).toEqual(["route: hello"]);
    expect(next.warnings).toEqual(["conversation dropped"]);
    expect(next.stored()?.conversation).toBeUndefined();
  });

  it("arms a timeout per wait; only the one of the pending wait runs its otherwise", async () => {
    const bot = createBot()
      .conversation("quiz", async (conv, ctx) => {
        await ctx.reply("one?");
        await conv.waitFor("1", {
          timeoutMs: 500,
          otherwise: (late) => late.reply("too slow for one"),
        });
        await conv.waitFor("2", {
          timeoutMs: 700,
          otherwise: (late) => late.reply("too slow for two"),
        });
      })
      .onText("go", (ctx) => ctx.enter("quiz"));
    const test = harness(bot);
    await test.run(textEvent("go"));
    await test.run(textEvent("1"));
    const [first, second] = test.scheduled;
    expect(first).toMatchObject({
      at: 1_500,
      work: {
        kind: "handler",
        name: "linefleet.conversation-timeout",
        data: { name: "quiz", wait: 1 },
      },
    });
    expect(second).toMatchObject({ at: 1_700, work: { data: { name: "quiz", wait: 2 } } });
    const timeoutOf = (entry: typeof first) => {
      const work = entry?.work as { name: string; data: unknown };
      return scheduledEvent(work.name, work.data);
    };
    // The first wait was answered: its timeout does nothing.
    await test.run(timeoutOf(first));
    expect(test.sent).toEqual(["one?"]);
    await test.run(timeoutOf(second));
    expect(test.sent).toEqual(["one?", "too slow for two"]);
    expect(test.stored()?.conversation).toBeUndefined();
    expect(test.ended).toEqual(["quiz: timed-out"]);
  });

  it("refuses to enter a conversation that does not exist, or from inside one", async () => {
    const bot = createBot()
      .conversation("outer", async (conv, ctx) => {
        await ctx.enter("outer");
        await conv.wait();
      })
      .onText("unknown", (ctx) => ctx.enter("nope"))
      .onText("outer", (ctx) => ctx.enter("outer"));
    const test = harness(bot);
    await expect(test.run(textEvent("unknown"))).rejects.toThrow(/no conversation named "nope"/);
    await expect(test.run(textEvent("outer"))).rejects.toBeInstanceOf(ContextUsageError);
  });

  it("ignores what a wait does not take when told to, and leaves by the configured escape", async () => {
    const bot = createBot({ conversations: { cancel: "stop", unmatched: "ignore" } })
      .conversation("digits", async (conv) => {
        const answer = await conv.waitFor(/^\d+$/);
        await answer.reply(`number ${answer.text}`);
        const again = await conv.waitFor(/^\d+$/, { unmatched: "routes" });
        await again.reply(`number ${again.text}`);
      })
      .onText("go", (ctx) => ctx.enter("digits"))
      .onText((ctx, text) => ctx.reply(`route: ${text}`));
    const test = harness(bot);
    await test.run(textEvent("go"));
    await test.run(textEvent("abc"));
    await test.run(textEvent("7"));
    await test.run(textEvent("def"));
    await test.run(textEvent("STOP"));
    await test.run(textEvent("8"));
    expect(test.sent).toEqual(["number 7", "route: def", "route: STOP", "route: 8"]);
    expect(test.ended).toEqual(["digits: cancelled"]);
  });

  it("schedules once: a replay gets the recorded ids instead of scheduling again", async () => {
    const bot = createBot()
      .onSchedule("nudge", () => {})
      .conversation("remind", async (conv, ctx) => {
        const first = await ctx.pushLater(60_000, "still there?");
        const answer = await conv.wait();
        const second = await answer.schedule("nudge", 120_000);
        await answer.reply(`${first.id} ${second.id}`);
        const last = await conv.wait();
        await last.reply(
          `${first.id} ${second.id} ${JSON.stringify(await last.cancelLater(first.id))}`,
        );
      })
      .onText("go", (ctx) => ctx.enter("remind"));
    const test = harness(bot);
    await test.run(textEvent("go"));
    await test.run(textEvent("a"));
    await test.run(textEvent("b"));
    expect(test.scheduled.map((entry) => entry.work.kind)).toEqual(["push", "handler"]);
    expect(test.sent).toEqual(["t1 t2", 't1 t2 {"status":"unknown"}']);
  });

  it("refuses a maxSteps that is not a whole number above 0", () => {
    expect(() => createBot({ conversations: { maxSteps: 0 } })).toThrow(/maxSteps/);
    expect(() => createBot({ conversations: { maxSteps: 2.5 } })).toThrow(/maxSteps/);
  });

  it("ends one that recorded maxSteps steps when the next message comes", async () => {
    const bot = createBot({ conversations: { maxSteps: 3 } })
      .conversation("forever", async (conv) => {
        for (;;) {
          const answer = await conv.wait();
          await answer.reply(`took ${answer.text}`);
        }
      })
      .onText("go", (ctx) => ctx.enter("forever"))
      .onText((ctx, text) => ctx.reply(`route: ${text}`));
    const test = harness(bot);
    for (const text of ["go", "1", "2", "3", "4", "5"]) await test.run(textEvent(text));
    expect(test.sent).toEqual(["took 1", "took 2", "took 3", "route: 4", "route: 5"]);
    expect(test.warnings).toEqual([
      "conversation dropped: it recorded conversations.maxSteps steps",
    ]);
    expect(test.ended).toEqual(["forever: dropped"]);
  });
});
