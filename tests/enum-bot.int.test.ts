import { spawnSync } from "node:child_process";
import type { Bot } from "@linefleet/bot";
import { type BotTest, repoRoot, startBotTest } from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";

const modulePath = "tests/bots/enum-bot.ts";
// By a path the typecheck does not follow: the repository allows only erasable syntax (tsconfig
// excludes this bot), and this bot breaks that rule on purpose. Vitest compiles it, as for a user.
const botFile = "./bots/enum-bot.ts";
const { bot } = (await import(botFile)) as { bot: Bot };

/** A bot whose TypeScript Node cannot strip runs the same in the test kit and in a worker. */
describe("a bot with an enum", () => {
  let test: BotTest | undefined;
  afterEach(async () => {
    await test?.stop();
    test = undefined;
  });

  it("is one that Node alone refuses to load", () => {
    const result = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `import("./${modulePath}")`],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX");
  });

  const conversation = async (started: BotTest) => {
    const alice = started.user("Alice");
    return [
      (await alice.says("a large latte")).map((answer) => answer.text),
      (await alice.says("an espresso")).map((answer) => answer.text),
    ];
  };
  const expected = [["size L of S/L"], ["size S of S/L"]];

  it("answers in the test kit (the Bot imported by the test)", async () => {
    test = await startBotTest({ bot, redisUrl: inject("redisUrl") });
    expect(await conversation(test)).toEqual(expected);
  });

  it("answers the same in a worker process (`linefleet worker tests/bots/enum-bot.ts`)", async () => {
    test = await startBotTest({ bot: modulePath, redisUrl: inject("redisUrl") });
    expect(await conversation(test)).toEqual(expected);
  });
});
