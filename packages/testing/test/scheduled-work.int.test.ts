import { createBot, NonRetriableError } from "@linefleet/bot";
import { createDeadLetters } from "@linefleet/delivery";
import { createWorkerConnection, redisKeys } from "@linefleet/store";
import { afterEach, describe, expect, inject, it } from "vitest";
import { BotFailedError, type BotTest, startBotTest, waitFor } from "../src/index.ts";

const MINUTE = 60_000;

describe("scheduled work and recurring jobs under the test clock", () => {
  let test: BotTest | undefined;
  afterEach(async () => {
    await test?.stop();
    test = undefined;
  });

  it("pushes later, in call order, once the clock reaches the time; a cancelled one never", async () => {
    const ids = new Map<string, string>();
    const bot = createBot()
      .onText("remind", async (ctx) => {
        ids.set("first", (await ctx.pushLater(MINUTE, "first")).id);
        await ctx.pushLater(MINUTE, "second");
        ids.set("never", (await ctx.pushLater(2 * MINUTE, "never")).id);
        await ctx.pushLater(new Date(Date.now() + 3 * MINUTE), "third");
        return ctx.reply("noted");
      })
      .command("cancel", async (ctx, which) => {
        const report = await ctx.cancelLater(ids.get(which) ?? "no-such-id");
        return ctx.reply(report.status);
      });
    test = await startBotTest({ bot, redisUrl: inject("redisUrl") });
    const alice = test.user("Alice");
    expect((await alice.says("remind")).map((a) => a.text)).toEqual(["noted"]);
    await test.clock.advance(MINUTE - 1_000);
    expect(test.answers(alice.id).map((a) => a.text)).toEqual(["noted"]);
    await test.clock.advance(1_000);
    expect(test.answers(alice.id).map((a) => [a.via, a.text])).toEqual([
      ["reply", "noted"],
      ["push", "first"],
      ["push", "second"],
    ]);
    expect((await alice.says("cancel never")).map((a) => a.text)).toEqual(["cancelled"]);
    // Again (a retried event cancelling again): the same answer.
    expect((await alice.says("cancel never")).map((a) => a.text)).toEqual(["cancelled"]);
    await test.clock.advance(2 * MINUTE);
    expect(test.answers(alice.id).map((a) => a.text)).toEqual([
      "noted",
      "first",
      "second",
      "cancelled",
      "cancelled",
      "third",
    ]);
    // Sent: too late to cancel; an id never scheduled is unknown.
    expect((await alice.says("cancel first")).map((a) => a.text)).toEqual(["too_late"]);
    expect((await alice.says("cancel other")).map((a) => a.text)).toEqual(["unknown"]);
  });

  it("runs a scheduled handler in the chat, with its session, once; reply pushes", async () => {
    const bot = createBot({ session: { initial: () => ({ steps: [] as string[] }) } })
      .onText(/^later (\w+)$/, async (ctx, match) => {
        ctx.session.steps.push("asked");
        await ctx.schedule("follow-up", 5 * MINUTE, { word: match[1] });
        return ctx.reply("in 5 minutes");
      })
      .onSchedule<{ word: string }>("follow-up", (ctx, data) => {
        ctx.session.steps.push(`followed up ${data.word}`);
        return ctx.reply(`you said ${data.word} (${ctx.event.type})`);
      });
    test = await startBotTest({ bot, redisUrl: inject("redisUrl") });
    const alice = test.user("Alice");
    await alice.says("later coffee");
    await test.clock.advance(5 * MINUTE);
    expect(test.answers(alice.id).map((a) => [a.via, a.text])).toEqual([
      ["reply", "in 5 minutes"],
      ["push", "you said coffee (scheduled)"],
    ]);
    expect(await test.session(alice.id)).toEqual({ steps: ["asked", "followed up coffee"] });
    // Nothing more is due: advancing again runs nothing twice.
    await test.clock.advance(10 * MINUTE);
    expect(test.answers(alice.id)).toHaveLength(2);
  });

  it("schedules nothing twice when the scheduling event is retried", async () => {
    const bot = createBot().onText("once", async (ctx) => {
      await ctx.pushLater(MINUTE, `scheduled by attempt ${ctx.attempt}`);
      if (ctx.attempt === 1) throw new Error("fails after scheduling");
      return ctx.reply("ok");
    });
    test = await startBotTest({ bot, attempts: 2, redisUrl: inject("redisUrl") });
    const alice = test.user("Alice");
    await alice.says("once");
    await test.clock.advance(MINUTE);
    expect(test.answers(alice.id).map((a) => a.text)).toEqual(["ok", "scheduled by attempt 1"]);
  });

  it("refuses to schedule a handler that is not registered", async () => {
    const bot = createBot().onText(async (ctx) => {
      await ctx.schedule("missing", MINUTE);
    });
    test = await startBotTest({ bot, redisUrl: inject("redisUrl") });
    await expect(test.user("Alice").says("hi")).rejects.toThrow(/onSchedule\("missing"/);
  });

  it("runs each tick of a recurring job the clock passes, once", async () => {
    const ticks: number[] = [];
    let pushTo = "";
    const bot = createBot()
      .onText((ctx) => {
        pushTo = ctx.chatId ?? "";
      })
      .every("report", { everyMs: MINUTE }, async (ctx) => {
        ticks.push(ctx.tick.at);
        await ctx.push(pushTo, `report at ${new Date(ctx.tick.at).toISOString()}`);
      });
    test = await startBotTest({ bot, redisUrl: inject("redisUrl") });
    const alice = test.user("Alice");
    await alice.says("subscribe");
    const from = test.clock.now();
    await test.clock.advance(3 * MINUTE);
    expect(ticks).toHaveLength(3);
    for (const at of ticks) {
      expect(at % MINUTE).toBe(0);
      expect(at).toBeGreaterThan(from);
    }
    expect(test.answers(alice.id).map((a) => a.via)).toEqual(["push", "push", "push"]);
  });

  it("keeps failed scheduled work and failed ticks as dead letters, listed and replayed", async () => {
    let failing = true;
    let chat = "";
    const bot = createBot()
      .onText("later", async (ctx) => {
        chat = ctx.chatId ?? "";
        await ctx.schedule("flaky", MINUTE);
      })
      .onSchedule("flaky", (ctx) => {
        if (failing) throw new NonRetriableError("not now");
        return ctx.reply("done at last");
      })
      .every("flaky-tick", { everyMs: 10 * MINUTE }, (ctx) => {
        if (failing) throw new Error("the tick failed");
        return ctx.push(chat, "tick done at last");
      });
    test = await startBotTest({ bot, redisUrl: inject("redisUrl") });
    const alice = test.user("Alice");
    await alice.says("later");
    await expect(test.clock.advance(MINUTE)).rejects.toBeInstanceOf(BotFailedError);
    await expect(test.clock.advance(10 * MINUTE)).rejects.toThrow(/the tick failed/);

    const redis = createWorkerConnection(inject("redisUrl"));
    const deadLetters = createDeadLetters({ connection: redis, keys: redisKeys(test.prefix) });
    try {
      const listed = await deadLetters.list();
      expect(listed.map((letter) => letter.type).sort()).toEqual(["recurring", "scheduled"]);
      const scheduled = listed.find((letter) => letter.type === "scheduled");
      expect(scheduled).toMatchObject({ chatId: alice.id, error: "not now" });
      failing = false;
      for (const letter of listed)
        expect(await deadLetters.replay(letter.webhookEventId)).toBe(true);
      await waitFor(
        () => {
          const texts = test?.answers(alice.id).map((answer) => answer.text) ?? [];
          return texts.includes("done at last") && texts.includes("tick done at last");
        },
        { timeoutMs: 15_000, what: "both replays" },
      );
      expect(await deadLetters.list()).toEqual([]);
    } finally {
      await deadLetters.close();
      redis.disconnect();
    }
  });
});
