import { describe, expect, it } from "vitest";
import { createBot, RetryAfterError } from "../src/index.ts";
import { fakeContext, text } from "./fake-context.ts";

describe("bot.catch", () => {
  it("gets what a handler threw, with the context, and handles it by returning", async () => {
    const caught: string[] = [];
    const bot = createBot()
      .onText(() => {
        throw new Error("the espresso machine is off");
      })
      .catch((error, ctx) => {
        caught.push(`${(error as Error).message} (text: ${ctx.text})`);
        return ctx.reply("Sorry, something went wrong.");
      });
    const { context, sent } = fakeContext(text("latte"));
    await expect(bot.dispatch(context)).resolves.toBe("caught");
    expect(caught).toEqual(["the espresso machine is off (text: latte)"]);
    expect(sent.map((s) => s.via)).toEqual(["reply"]);
  });

  it("gets what middleware threw too", async () => {
    const caught: unknown[] = [];
    const failure = new Error("no user store");
    const bot = createBot()
      .use(() => {
        throw failure;
      })
      .onText(() => {})
      .catch((error) => void caught.push(error));
    await bot.dispatch(fakeContext(text("hi")).context);
    expect(caught).toEqual([failure]);
  });

  it("steers the event with what it throws: the same error, or another", async () => {
    const bot = createBot()
      .onText((_ctx, said) => {
        throw new Error(`failed on ${said}`);
      })
      .catch((error, ctx) => {
        if (ctx.text === "later") throw new RetryAfterError(5_000);
        throw error;
      });
    await expect(bot.dispatch(fakeContext(text("now")).context)).rejects.toThrow("failed on now");
    await expect(bot.dispatch(fakeContext(text("later")).context)).rejects.toBeInstanceOf(
      RetryAfterError,
    );
  });

  it("is one hook: a second call replaces the first", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .onText(() => {
        throw new Error("x");
      })
      .catch(() => void seen.push("first"))
      .catch(() => void seen.push("second"));
    await bot.dispatch(fakeContext(text("hi")).context);
    expect(seen).toEqual(["second"]);
  });

  it("is not called when nothing throws", async () => {
    const seen: string[] = [];
    const bot = createBot()
      .onText(() => void seen.push("handled"))
      .catch(() => void seen.push("caught"));
    await expect(bot.dispatch(fakeContext(text("hi")).context)).resolves.toBe("done");
    expect(seen).toEqual(["handled"]);
  });
});

describe("ctx.attempt", () => {
  it("is the attempt the runtime says, 1 for the first", async () => {
    const seen: number[] = [];
    const bot = createBot().onText((ctx) => void seen.push(ctx.attempt));
    await bot.dispatch(fakeContext(text("hi")).context);
    await bot.dispatch(fakeContext(text("hi"), undefined, 3).context);
    expect(seen).toEqual([1, 3]);
  });
});
