import { createBot, NonRetriableError } from "@linefleet/bot";
import { createDemoBot } from "@linefleet/example-demo-bot";
import { afterEach, describe, expect, inject, it } from "vitest";
import { BotFailedError, type BotTest, startBotTest } from "../src/index.ts";

describe("startBotTest with an in-process bot", () => {
  let test: BotTest | undefined;
  afterEach(async () => {
    await test?.stop();
    test = undefined;
  });

  it("runs a conversation: reply, session, and a push once the clock has moved on", async () => {
    test = await startBotTest({ bot: createDemoBot({ slowMs: 50 }), redisUrl: inject("redisUrl") });
    const alice = test.user("Alice");
    expect(await alice.says("hi")).toEqual([expect.objectContaining({ via: "reply", text: "hi" })]);
    expect((await alice.presses("plan=pro")).map((a) => a.text)).toEqual([
      "You are on the Pro plan.",
    ]);
    expect(await test.session(alice.id)).toMatchObject({ plan: "pro" });
    // Handled 60 s after LINE sent it, the reply token counts as too old: the answer is pushed.
    await test.clock.advance(60_000);
    expect(await alice.says("still there?")).toEqual([
      expect.objectContaining({ via: "push", text: "still there?" }),
    ]);
  });

  it("reports an event the bot failed for good", async () => {
    test = await startBotTest({
      bot: createBot().onText(() => {
        throw new NonRetriableError("nothing to do with this text");
      }),
      redisUrl: inject("redisUrl"),
    });
    const failed = test.user("Alice").says("hi");
    await expect(failed).rejects.toBeInstanceOf(BotFailedError);
    await expect(failed).rejects.toThrow(/nothing to do with this text/);
  });

  it("rejects at once with a handler's error and its stack, not after a timeout", async () => {
    test = await startBotTest({
      bot: createBot().onText(function brewLatte(_ctx, text) {
        throw new TypeError(`no milk for ${text}`);
      }),
      redisUrl: inject("redisUrl"),
    });
    const alice = test.user("Alice");
    const started = Date.now();
    const error = await alice.says("latte").then(
      () => undefined,
      (failure: unknown) => failure,
    );
    const tookMs = Date.now() - started;
    expect(error).toBeInstanceOf(BotFailedError);
    const failed = error as BotFailedError;
    expect(failed.reason).toBe("no milk for latte");
    expect(failed.message).toMatch(/no milk for latte$/);
    expect(failed.final).toBe(true);
    // The frames are the handler's: the named function, in this file.
    expect(failed.stack).toMatch(/at .*brewLatte.*bot-test\.int\.test\.ts:\d+:\d+\)/);
    // Failed for good at once: nowhere near the 30 s the kit waits for an unfinished event.
    expect(tookMs).toBeLessThan(5_000);
    // The event is done, so the chat's next event is not held behind it.
    await expect(alice.says("again")).rejects.toThrow(/no milk for again/);
  });

  it("retries when asked to, with ctx.attempt telling which try it is", async () => {
    test = await startBotTest({
      bot: createBot().onText((ctx) => {
        if (ctx.attempt === 1) throw new Error("the first try fails");
        return ctx.reply(`attempt ${ctx.attempt}`);
      }),
      redisUrl: inject("redisUrl"),
      attempts: 2,
    });
    expect((await test.user("Alice").says("hi")).map((a) => a.text)).toEqual(["attempt 2"]);
  });

  it("reports the first failure of a worker process's bot without waiting for its retries", async () => {
    test = await startBotTest({ bot: "tests/bots/throws.ts", redisUrl: inject("redisUrl") });
    const failure = test.user("Alice").says("hi");
    await expect(failure).rejects.toThrow(
      /the bot failed event .* \(it will be retried\): thrown by the test bot/,
    );
    await expect(failure).rejects.toMatchObject({
      final: false,
      stack: expect.stringMatching(/throws\.ts/),
    });
  });

  it("refuses to move the clock of worker processes", async () => {
    test = await startBotTest({
      bot: "examples/demo-bot/src/main.ts",
      redisUrl: inject("redisUrl"),
    });
    await expect(test.clock.advance(1_000)).rejects.toThrow(/in-process/);
  });
});
