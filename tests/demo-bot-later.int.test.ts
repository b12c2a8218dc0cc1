import { createDemoBot } from "@linefleet/example-demo-bot";
import { startBotTest } from "@linefleet/testing";
import { describe, expect, inject, it } from "vitest";

/** The demo bot's reminder and its recurring news job, under the test clock (in process). */
describe("the demo bot, over time", () => {
  it("reminds once a minute later, cancels on request, and pushes the news each tick", async () => {
    const test = await startBotTest({
      bot: createDemoBot({ slowMs: 10, newsEveryMs: 3_600_000 }),
      redisUrl: inject("redisUrl"),
    });
    try {
      const alice = test.user("Alice");
      const texts = () => test.answers(alice.id).map((answer) => answer.text ?? "");
      expect((await alice.says("remind me in 1 min")).map((a) => a.text)).toEqual([
        expect.stringMatching(/^OK, I will remind you at \d\d:\d\d UTC\./),
      ]);
      await test.clock.advance(60_000);
      expect(texts().filter((text) => text.startsWith("⏰"))).toEqual([
        "⏰ Reminder: you asked me 1 min ago.",
      ]);
      expect((await alice.says("cancel reminder")).map((a) => a.text)).toEqual([
        "Too late: it was sent already.",
      ]);
      await alice.says("remind me in 5 min");
      expect((await alice.says("cancel reminder")).map((a) => a.text)).toEqual([
        "Reminder cancelled.",
      ]);
      await alice.says("subscribe");
      await test.clock.advance(2 * 3_600_000);
      expect(texts().filter((text) => text.startsWith("⏰"))).toHaveLength(1);
      expect(texts().filter((text) => text.startsWith("📰"))).toHaveLength(2);
    } finally {
      await test.stop();
    }
  });
});
