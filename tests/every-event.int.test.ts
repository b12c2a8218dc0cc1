import { waitFor } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe("emulator → ingress → worker → emulator, for every event type", () => {
  let stack: EmulatedStack;
  let alice: string;
  let bob: string;
  let carol: string;
  let groupId: string;

  beforeAll(async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: { BOT_MODULE: "tests/bots/every-event.ts" },
      emulator: {
        users: [{ displayName: "Alice" }, { displayName: "Bob" }, { displayName: "Carol" }],
      },
    });
    [alice, bob, carol] = stack.emulator.state().users.map((u) => u.userId) as [
      string,
      string,
      string,
    ];
    groupId = stack.emulator.addGroup({ groupName: "friends", memberIds: [alice, bob] }).groupId;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Sends an event, then waits for the bot's next message in the chat and returns it. */
  async function answerTo(chatId: string, send: () => unknown) {
    const before = stack.emulator.messages(chatId).filter((m) => m.from === "bot").length;
    send();
    const messages = await stack.emulator.waitForBotMessages(chatId, {
      count: before + 1,
      timeoutMs: 15_000,
    });
    const answer = messages[before];
    return [answer?.via, answer?.message.text];
  }

  it("answers each kind of one-to-one event", async () => {
    const e = stack.emulator;
    expect(
      await answerTo(alice, () => e.sendEvent({ type: "text", from: alice, text: "hi 🍎" })),
    ).toEqual(["reply", "text: hi 🍎"]);
    expect(
      await answerTo(alice, () =>
        e.sendEvent({
          type: "image",
          from: alice,
          contentBase64: PNG.toString("base64"),
          contentType: "image/png",
        }),
      ),
    ).toEqual(["reply", `image: ${PNG.length} bytes`]);
    for (const type of ["video", "audio"] as const) {
      const bytes = Buffer.from(`${type} bytes`);
      expect(
        await answerTo(alice, () =>
          e.sendEvent({
            type,
            from: alice,
            contentBase64: bytes.toString("base64"),
            contentType: "application/octet-stream",
          }),
        ),
      ).toEqual(["reply", `${type}: ${bytes.length} bytes`]);
    }
    const file = Buffer.from("a file's contents");
    expect(
      await answerTo(alice, () =>
        e.sendEvent({
          type: "file",
          from: alice,
          fileName: "notes.txt",
          contentBase64: file.toString("base64"),
          contentType: "text/plain",
        }),
      ),
    ).toEqual(["reply", `file: ${file.length} bytes`]);
    expect(
      await answerTo(alice, () =>
        e.sendEvent({
          type: "location",
          from: alice,
          latitude: 35.68,
          longitude: 139.76,
          title: "Tokyo",
        }),
      ),
    ).toEqual(["reply", "location: 35.68,139.76"]);
    expect(
      await answerTo(alice, () =>
        e.sendEvent({ type: "sticker", from: alice, packageId: "446", stickerId: "1988" }),
      ),
    ).toEqual(["reply", "sticker: 446/1988"]);
    expect(
      await answerTo(alice, () =>
        e.sendEvent({
          type: "postback",
          from: alice,
          data: "action=buy&item=1",
          params: { date: "2026-12-24" },
        }),
      ),
    ).toEqual(["reply", 'postback: action=buy&item=1 {"date":"2026-12-24"}']);

    const sent = e.sendEvent({ type: "text", from: alice, text: "oops" });
    await e.waitForBotMessages(alice, { count: 9 });
    expect(
      await answerTo(alice, () =>
        e.sendEvent({ type: "unsend", from: alice, messageId: sent.messageId }),
      ),
    ).toEqual(["push", `unsend: ${sent.messageId}`]);

    e.sendEvent({ type: "unfollow", from: alice });
    await stack.workers[0]?.waitForLine(
      (line) => line.msg === "handled" && line.type === "unfollow",
    );
    expect(
      await answerTo(alice, () => e.sendEvent({ type: "follow", from: alice, isUnblocked: true })),
    ).toEqual(["reply", "follow: welcome"]);
  });

  it("answers group events, mentions and edits", async () => {
    const e = stack.emulator;
    const chat = { type: "group" as const, groupId };
    expect(await answerTo(groupId, () => e.sendEvent({ type: "join", chat }))).toEqual([
      "reply",
      "join: hello everyone",
    ]);
    expect(
      await answerTo(groupId, () =>
        e.sendEvent({ type: "text", from: bob, chat, text: "hello", mentionBot: true }),
      ),
    ).toEqual(["reply", `text: @${e.bot.displayName} hello (mentioned)`]);
    const original = e.sendEvent({ type: "text", from: bob, chat, text: "typo" });
    await e.waitForBotMessages(groupId, { count: 3 });
    expect(
      await answerTo(groupId, () =>
        e.sendEvent({
          type: "messageEdited",
          from: bob,
          chat,
          messageId: original.messageId,
          text: "fixed",
        }),
      ),
    ).toEqual(["reply", "edited: fixed"]);
    expect(
      await answerTo(groupId, () =>
        e.sendEvent({ type: "memberJoined", chat, memberIds: [carol] }),
      ),
    ).toEqual(["reply", "memberJoined: 1"]);
    expect(
      await answerTo(groupId, () => e.sendEvent({ type: "memberLeft", chat, memberIds: [carol] })),
    ).toEqual(["push", "memberLeft: 1"]);
    e.sendEvent({ type: "leave", chat });
    await stack.workers[0]?.waitForLine((line) => line.msg === "handled" && line.type === "leave");
  });

  it("answers the console's Verify with 200", async () => {
    expect(await stack.emulator.verify()).toMatchObject({ status: 200 });
  });

  it("is answered in rooms too", async () => {
    const e = stack.emulator;
    const roomId = e.addRoom({ memberIds: [alice, bob] }).roomId;
    const chat = { type: "room" as const, roomId };
    await answerTo(roomId, () => e.sendEvent({ type: "join", chat }));
    await waitFor(() => e.messages(roomId).length > 0);
    expect(
      await answerTo(roomId, () =>
        e.sendEvent({ type: "text", from: bob, chat, text: "in a room" }),
      ),
    ).toEqual(["reply", "text: in a room"]);
  });
});
