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
    test.clock.advance(60_000);
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

  it("refuses to move the clock of worker processes", async () => {
    test = await startBotTest({
      bot: "examples/demo-bot/src/main.ts",
      redisUrl: inject("redisUrl"),
    });
    expect(() => test?.clock.advance(1_000)).toThrow(/in-process/);
  });
});
