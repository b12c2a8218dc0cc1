import { createBot } from "@linefleet/bot";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type BotTest, startBotTest } from "../src/index.ts";

interface Profile {
  name?: string;
  age?: number;
  visits: number;
}

/** A bot with a few conversations, each showing one rule of the engine. */
function conversationBot() {
  return createBot<Profile>({ session: { initial: () => ({ visits: 0 }) } })
    .conversation("signup", async (conv, ctx) => {
      // Counted once, when the conversation is entered: a replay changes a copy only.
      conv.session.visits += 1;
      await ctx.reply("What is your name?");
      const name = (await conv.waitFor(/^\w+$/)).text ?? "";
      conv.session.name = name;
      const ageAnswer = await conv.ask(`How old are you, ${name}?`, /^\d+$/);
      const age = Number(ageAnswer.text);
      const confirm = await conv.ask(`${name}, ${age}: right? (yes/no)`, (c) =>
        ["yes", "no"].includes(c.text ?? ""),
      );
      if (confirm.text === "no") {
        await confirm.reply("Let us forget it.");
        return conv.exit();
      }
      conv.session.age = age;
      await confirm.reply(`Welcome, ${name}!`);
    })
    .conversation("dice", async (conv, ctx) => {
      // A random choice recorded once: every replay sees the same number.
      const secret = await conv.external(() => 1 + Math.floor(Math.random() * 1_000_000));
      await ctx.reply("Guess my number (say 'tell')");
      const guess = await conv.waitFor("tell");
      await guess.reply(`It was ${secret}; args ${JSON.stringify(conv.args)}`);
    })
    .conversation("quiz", async (conv, ctx) => {
      await ctx.reply("Capital of France?");
      const answer = await conv.waitFor(/paris/i, {
        timeoutMs: 60_000,
        otherwise: (late) => late.reply("Too slow: it was Paris."),
      });
      await answer.reply("Right!");
    })
    .conversation("size", async (conv, ctx) => {
      await ctx.reply("Which size? Press a button.");
      const pressed = await conv.waitFor((c) => c.event.type === "postback");
      const data = pressed.event.type === "postback" ? pressed.event.postback.data : "";
      await pressed.reply(`Size ${new URLSearchParams(data).get("size")}`);
    })
    .command("size", (ctx) => ctx.enter("size"))
    .command("signup", (ctx) => ctx.enter("signup"))
    .command("quiz", (ctx) => ctx.enter("quiz"))
    .command("dice", (ctx) => ctx.enter("dice", { round: 1 }))
    .command("cancel", (ctx) => ctx.reply("Nothing to cancel now."))
    .onText((ctx, text) => ctx.reply(`echo: ${text}`));
}

const texts = (answers: { text: string | undefined }[]) => answers.map((a) => a.text);

describe("conversations, through the test kit", () => {
  let test: BotTest<Profile>;
  beforeAll(async () => {
    test = await startBotTest({ bot: conversationBot(), redisUrl: inject("redisUrl") });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it("asks three questions in turn; says() returns each step's answer", async () => {
    const alice = test.user("Alice");
    expect(texts(await alice.says("/signup"))).toEqual(["What is your name?"]);
    expect(texts(await alice.says("Alice"))).toEqual(["How old are you, Alice?"]);
    expect(texts(await alice.says("30"))).toEqual(["Alice, 30: right? (yes/no)"]);
    expect(texts(await alice.says("yes"))).toEqual(["Welcome, Alice!"]);
    // Over: texts go to the routes again, and the session holds the answers, counted once.
    expect(texts(await alice.says("hello"))).toEqual(["echo: hello"]);
    expect(await test.session(alice.id)).toEqual({ visits: 1, name: "Alice", age: 30 });
  });

  it("lets what the wait does not take fall through to the routes", async () => {
    const bob = test.user("Bob");
    await bob.says("/signup");
    await bob.says("Bob");
    expect(texts(await bob.says("thirty"))).toEqual(["echo: thirty"]);
    expect(texts(await bob.says("31"))).toEqual(["Bob, 31: right? (yes/no)"]);
    expect(texts(await bob.says("no"))).toEqual(["Let us forget it."]);
    expect(await test.session(bob.id)).toEqual({ visits: 1, name: "Bob" });
  });

  it("leaves by /cancel, which the routes then see", async () => {
    const carol = test.user("Carol");
    await carol.says("/signup");
    expect(texts(await carol.says("/cancel"))).toEqual(["Nothing to cancel now."]);
    expect(texts(await carol.says("Carol"))).toEqual(["echo: Carol"]);
  });

  it("records what external() returns, so a replay sees the same value", async () => {
    const dave = test.user("Dave");
    await dave.says("/dice");
    const [told] = texts(await dave.says("tell"));
    expect(told).toMatch(/^It was \d+; args \{"round":1\}$/);
  });

  it("ends a wait that times out with its otherwise, once the test clock passes it", async () => {
    const gina = test.user("Gina");
    expect(texts(await gina.says("/quiz"))).toEqual(["Capital of France?"]);
    await test.clock.advance(59_000);
    expect(texts(test.answers(gina.id))).toEqual(["Capital of France?"]);
    // The timeout falls due: advance resolves once it has run.
    await test.clock.advance(1_000);
    expect(test.answers(gina.id).at(-1)).toMatchObject({
      via: "push",
      text: "Too slow: it was Paris.",
    });
    expect(texts(await gina.says("Paris"))).toEqual(["echo: Paris"]);
  });

  it("does nothing when the wait was answered before its timeout", async () => {
    const hal = test.user("Hal");
    await hal.says("/quiz");
    expect(texts(await hal.says("paris"))).toEqual(["Right!"]);
    // The timeout runs, and finds the wait answered.
    await test.clock.advance(60_000);
    expect(texts(test.answers(hal.id))).toEqual(["Capital of France?", "Right!"]);
    expect(texts(await hal.says("paris"))).toEqual(["echo: paris"]);
  });

  it("takes a postback when its predicate says so; texts meanwhile go to the routes", async () => {
    const ivy = test.user("Ivy");
    expect(texts(await ivy.says("/size"))).toEqual(["Which size? Press a button."]);
    expect(texts(await ivy.says("M"))).toEqual(["echo: M"]);
    expect(texts(await ivy.presses("size=M"))).toEqual(["Size M"]);
  });

  it("keeps each chat's conversation to itself", async () => {
    const erin = test.user("Erin");
    const frank = test.user("Frank");
    await erin.says("/signup");
    expect(texts(await frank.says("Frank"))).toEqual(["echo: Frank"]);
    expect(texts(await erin.says("Erin"))).toEqual(["How old are you, Erin?"]);
  });
});
