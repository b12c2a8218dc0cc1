import { startBotTest } from "@linefleet/testing";
import { afterAll, expect, it } from "vitest";
import { bot } from "../src/bot.ts";

// The bot against a local LINE emulator, through a real ingress, Redis and workers.
const test = await startBotTest({ bot });
afterAll(() => test.stop());

it("says back what it is told", async () => {
  const alice = test.user("Alice");
  expect(await alice.says("hello")).toEqual([
    expect.objectContaining({ via: "reply", text: "hello" }),
  ]);
});

it("offers drinks as quick replies, and a press orders one", async () => {
  const bob = test.user("Bob");
  const [menu] = await bob.says("menu");
  expect(menu?.message).toMatchObject({ quickReply: { items: [{}, {}] } });
  expect(await bob.presses("drink=Tea")).toEqual([
    expect.objectContaining({ text: "One Tea coming up." }),
  ]);
});

it("counts in the chat's session", async () => {
  const carol = test.user("Carol");
  await carol.says("count");
  expect(await carol.says("count")).toEqual([
    expect.objectContaining({ text: "You have counted to 2." }),
  ]);
  expect(await test.session(carol.id)).toEqual({ count: 2 });
});

it("replies, then pushes the reminder", async () => {
  const dave = test.user("Dave");
  expect(await dave.says("remind me")).toEqual([
    expect.objectContaining({ via: "reply", text: "I will remind you." }),
    expect.objectContaining({ via: "push", text: "This is your reminder." }),
  ]);
});
