import { laneOf, redisKeys } from "@linefleet/store";
import { type BotTest, startBotTest, type TestUser } from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** Every flow of the demo bot, through the emulator, a real ingress and a real worker process. */
describe("the demo bot", () => {
  let test: BotTest;
  let alice: TestUser;
  let redis: Redis;

  beforeAll(async () => {
    test = await startBotTest({
      bot: "examples/demo-bot/src/main.ts",
      redisUrl: inject("redisUrl"),
    });
    alice = test.user("Alice");
    redis = new Redis(inject("redisUrl"));
  });
  afterAll(async () => {
    redis?.disconnect();
    await test?.stop();
  });

  const apiCalls = (path: string) =>
    test.emulator.apiCalls().filter((c) => c.path.startsWith(path));

  it("echoes text by reply and marks the chat read", async () => {
    expect(await alice.says("hi")).toEqual([expect.objectContaining({ via: "reply", text: "hi" })]);
    expect(apiCalls("/v2/bot/chat/markAsRead").at(-1)?.status).toBe(200);
  });

  it("answers a sticker with a sticker", async () => {
    const answers = await alice.sends({ type: "sticker", packageId: "446", stickerId: "1988" });
    expect(answers.map((a) => a.message)).toEqual([
      { type: "sticker", packageId: "446", stickerId: "1989" },
    ]);
  });

  it("tells an image's size, read with getContent", async () => {
    const answers = await alice.sends({
      type: "image",
      contentBase64: PNG.toString("base64"),
      contentType: "image/png",
    });
    expect(answers.map((a) => a.text)).toEqual([`Image received: ${PNG.length} bytes.`]);
  });

  it("waits while LINE still prepares a video, then tells its size", async () => {
    const bytes = Buffer.from("a video LINE took a while to prepare");
    const answers = await alice.sends({
      type: "video",
      contentBase64: bytes.toString("base64"),
      preparingCalls: 2,
    });
    expect(answers.map((a) => a.text)).toEqual([`Video received: ${bytes.length} bytes.`]);
    const path = `/v2/bot/message/${answers.event.messageId}/content`;
    expect(apiCalls(path).map((call) => call.status)).toEqual([202, 202, 200]);
  });

  it("names the place of a location", async () => {
    const answers = await alice.sends({
      type: "location",
      title: "Tokyo Tower",
      address: "4-2-8 Shibakoen",
      latitude: 35.6586,
      longitude: 139.7454,
    });
    expect(answers.map((a) => a.text)).toEqual([
      "You are at Tokyo Tower, 4-2-8 Shibakoen (35.6586, 139.7454).",
    ]);
  });

  it("sends a buttons template whose postbacks set the plan in the session", async () => {
    const [menu] = await alice.says("menu");
    expect(menu?.message).toMatchObject({ type: "template", template: { type: "buttons" } });
    const template = menu?.message.template as
      | { actions: Array<{ label: string; data?: string }> }
      | undefined;
    const pro = template?.actions.find((action) => action.label === "Pro");
    const answers = await alice.presses(pro?.data ?? "");
    expect(answers.map((a) => a.text)).toEqual(["You are on the Pro plan."]);
    // Quick replies under the answer.
    expect(answers[0]?.message.quickReply).toMatchObject({ items: expect.any(Array) });
    expect(await test.session(alice.id)).toMatchObject({ plan: "pro" });
    const picked = await alice.presses("action=start", { date: "2026-12-24" });
    expect(picked.map((a) => a.text)).toEqual(["Your plan starts on 2026-12-24."]);
  });

  it("sends a flex message", async () => {
    const [flex] = await alice.says("flex");
    expect(flex?.message).toMatchObject({ type: "flex", contents: { type: "bubble" } });
  });

  it("shows the loading animation during a slow command", async () => {
    const answers = await alice.says("slow");
    expect(answers.map((a) => [a.via, a.text])).toEqual([["reply", "Done: that took a while."]]);
    const loading = apiCalls("/v2/bot/chat/loading/start").at(-1);
    expect(loading).toMatchObject({ status: 202, body: { chatId: alice.id, loadingSeconds: 10 } });
  });

  it("keeps a two-step conversation in the session", async () => {
    const [question] = await alice.says("order");
    expect(question?.text).toBe("Which size? S, M or L");
    expect(await test.session(alice.id)).toMatchObject({ ordering: true, coffees: 0 });
    expect((await alice.says("XL")).map((a) => a.text)).toEqual(["Which size? S, M or L"]);
    expect((await alice.says("M")).map((a) => a.text)).toEqual([
      "One M coffee coming up (coffee #1).",
    ]);
    expect(await test.session(alice.id)).toMatchObject({ ordering: false, coffees: 1 });
    // Out of the conversation, "M" is just echoed.
    expect((await alice.says("M")).map((a) => a.text)).toEqual(["M"]);
  });

  it("signs up in three steps, a conversation that asks again until the age is a number", async () => {
    const bob = test.user("Bob");
    const said = async (text: string) => (await bob.says(text)).map((a) => a.text);
    expect(await said("signup")).toEqual([
      "Let's sign you up (say /cancel to stop). What is your name?",
    ]);
    expect(await said("Bob")).toEqual(["How old are you, Bob?"]);
    expect(await said("old enough")).toEqual(["Please answer with a number, like 30."]);
    expect(await said("42")).toEqual(["Last one: which plan? Free or Pro"]);
    expect(await said("Pro")).toEqual(["Welcome, Bob (42), on the Pro plan!"]);
    expect(await test.session(bob.id)).toMatchObject({
      member: { name: "Bob", age: 42 },
      plan: "pro",
    });
    // Over: texts are echoed again.
    expect(await said("Pro")).toEqual(["Pro"]);
    // /cancel leaves it at any step.
    await said("signup");
    expect(await said("/cancel")).toEqual(["Stopped. Say help to see what I do."]);
    expect(await said("Bobby")).toEqual(["Bobby"]);
  });

  it("sends seven messages as five by reply and two by push, in order, one call each", async () => {
    const before = {
      reply: apiCalls("/v2/bot/message/reply").length,
      push: apiCalls("/v2/bot/message/push").length,
    };
    const answers = await alice.says("many");
    expect(answers.map((a) => [a.via, a.text])).toEqual(
      Array.from({ length: 7 }, (_, i) => [i < 5 ? "reply" : "push", `Message ${i + 1} of 7`]),
    );
    // Two sends, each its own ledger position while the event runs (the ledger is dropped once
    // the event is done: its dedupe mark refuses redeliveries); the push carries its retry key.
    const replies = apiCalls("/v2/bot/message/reply").slice(before.reply);
    const pushes = apiCalls("/v2/bot/message/push").slice(before.push);
    expect(replies.map((c) => c.status)).toEqual([200]);
    expect(pushes.map((c) => c.status)).toEqual([200]);
    expect(pushes[0]?.retryKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("quotes the user's message", async () => {
    const answers = await alice.says("quote");
    const mine = test.emulator.messages(alice.id).find((m) => m.id === answers.event.messageId);
    expect(answers[0]?.message).toMatchObject({
      type: "text",
      text: "You said this.",
      quoteToken: mine?.message.quoteToken,
    });
    expect(typeof mine?.message.quoteToken).toBe("string");
  });

  it("gets the profile once, then from the cache", async () => {
    const before = apiCalls("/v2/bot/profile/").length;
    expect((await alice.says("profile")).map((a) => a.text)).toEqual(["You are Alice."]);
    expect((await alice.says("profile")).map((a) => a.text)).toEqual(["You are Alice."]);
    expect(apiCalls("/v2/bot/profile/").length).toBe(before + 1);
  });

  it("forgets a message the user unsends", async () => {
    const said = await alice.says("my secret");
    const messageId = said.event.messageId ?? "";
    const key = redisKeys(test.prefix).messageLog(
      laneOf(test.emulator.bot.userId, { type: "user", userId: alice.id }) ?? "",
    );
    expect(await redis.hget(key, messageId)).toBe("my secret");
    expect(await alice.sends({ type: "unsend", messageId })).toEqual([]);
    expect(await redis.hexists(key, messageId)).toBe(0);
  });

  it("welcomes a user back who unblocked it", async () => {
    const carol = test.user("Carol");
    expect(await carol.sends({ type: "unfollow" })).toEqual([]);
    const [welcome] = await carol.sends({ type: "follow", isUnblocked: true });
    expect(welcome?.text).toMatch(/^Welcome back!/);
    expect(welcome?.message.quickReply).toMatchObject({ items: expect.any(Array) });
  });

  it("answers in a group only when mentioned", async () => {
    const bob = test.user("Bob");
    const { groupId } = test.emulator.addGroup({
      groupName: "friends",
      memberIds: [alice.id, bob.id],
    });
    const chat = { type: "group" as const, groupId };
    expect(await test.send({ type: "text", from: bob.id, chat, text: "lunch?" })).toEqual([]);
    const answers = await test.send({
      type: "text",
      from: bob.id,
      chat,
      text: "hello",
      mentionBot: true,
    });
    expect(answers.map((a) => a.text)).toEqual(["You called? Say help to see what I do."]);
  });
});
