import { decodeTime, isValid } from "ulid";
import { afterEach, describe, expect, it } from "vitest";
import type { EventInputData } from "../src/index.ts";
import { manualClock, startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

async function start(options: Parameters<typeof startEmulatorWithReceiver>[0] = {}) {
  running = await startEmulatorWithReceiver(options);
  const [alice] = running.emulator.state().users;
  if (!alice) throw new Error("the emulator starts with one user");
  const bob = running.emulator.addUser({ displayName: "Bob" });
  const group = running.emulator.addGroup({
    groupName: "Team",
    memberIds: [alice.userId, bob.userId],
  });
  const room = running.emulator.addRoom({ memberIds: [alice.userId, bob.userId] });
  return { ...running, alice, bob, group, room };
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

type Event = Record<string, unknown>;

describe("webhook requests", () => {
  it("sends every event type signed, with LINE's headers and common properties", async () => {
    const { emulator, receiver, alice, bob, group, room } = await start();
    const inGroup = { type: "group" as const, groupId: group.groupId };
    const inRoom = { type: "room" as const, roomId: room.roomId };
    const carol = emulator.addUser({ displayName: "Carol" });
    const text = emulator.sendEvent({
      type: "text",
      text: "edit me",
      chat: inGroup,
      from: bob.userId,
    });
    const inputs: EventInputData[] = [
      {
        type: "text",
        text: "hi",
        mentionBot: true,
        emojis: [{ index: 0, length: 6, productId: "5ac1bfd5040ab15980c9b435", emojiId: "001" }],
      },
      {
        type: "text",
        text: "quoting",
        chat: inGroup,
        from: bob.userId,
        quotedMessageId: text.messageId,
      },
      {
        type: "messageEdited",
        chat: inGroup,
        from: bob.userId,
        messageId: text.messageId,
        text: "edited",
      },
      { type: "image" },
      { type: "video", duration: 1234 },
      { type: "audio", duration: 2000 },
      { type: "file", fileName: "notes.txt", contentBase64: Buffer.from("abc").toString("base64") },
      { type: "location", title: "Tower", address: "Tokyo", latitude: 35.6, longitude: 139.7 },
      { type: "sticker", packageId: "11537", stickerId: "52002734" },
      { type: "postback", data: "action=buy", params: { date: "2026-01-01" } },
      { type: "follow", isUnblocked: false },
      { type: "unsend", chat: inGroup, from: bob.userId, messageId: text.messageId },
      { type: "memberJoined", chat: inRoom, memberIds: [carol.userId] },
      { type: "memberLeft", chat: inRoom, memberIds: [carol.userId] },
      { type: "leave", chat: inGroup },
      { type: "join", chat: inGroup },
      { type: "unfollow", from: alice.userId },
    ];
    const sent = inputs.map((input) => emulator.sendEvent(input));
    await emulator.waitForDeliveries((d) => d.status === 200, { count: inputs.length + 1 });

    expect(receiver.received).toHaveLength(inputs.length + 1);
    for (const webhook of receiver.received) {
      expect(webhook.signatureValid).toBe(true);
      expect(webhook.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(webhook.headers["user-agent"]).toBe("LineBotWebhook/2.0");
      expect(webhook.body.destination).toBe(emulator.bot.userId);
      expect(webhook.body.events).toHaveLength(1);
    }
    const events = receiver.events() as Event[];
    for (const event of events) {
      expect(isValid(String(event.webhookEventId))).toBe(true);
      expect(decodeTime(String(event.webhookEventId))).toBe(event.timestamp);
      expect(event.deliveryContext).toEqual({ isRedelivery: false });
      expect(event.mode).toBe("active");
      expect(typeof event.timestamp).toBe("number");
    }
    const replyable = ["message", "messageEdited", "postback", "follow", "join", "memberJoined"];
    for (const event of events) {
      expect(typeof event.replyToken === "string").toBe(replyable.includes(String(event.type)));
    }
    expect(new Set(events.map((e) => e.webhookEventId)).size).toBe(events.length);

    // Requests go out concurrently, so match them to what was sent by id, not by arrival.
    const byId = new Map(events.map((event) => [event.webhookEventId, event]));
    const original = byId.get(text.webhookEventId);
    const [
      mention,
      quote,
      edited,
      image,
      video,
      audio,
      file,
      location,
      sticker,
      postback,
      follow,
      unsend,
      joined,
      left,
      leave,
      join,
      unfollow,
    ] = sent.map((s) => byId.get(s.webhookEventId));
    expect(original?.source).toEqual({ type: "group", groupId: group.groupId, userId: bob.userId });
    expect(mention?.source).toEqual({ type: "user", userId: alice.userId });
    expect(mention?.message).toMatchObject({
      type: "text",
      text: `@${emulator.bot.displayName} hi`,
      emojis: [expect.objectContaining({ productId: "5ac1bfd5040ab15980c9b435" })],
      mention: {
        mentionees: [
          {
            index: 0,
            length: emulator.bot.displayName.length + 1,
            type: "user",
            userId: emulator.bot.userId,
            isSelf: true,
          },
        ],
      },
      quoteToken: expect.any(String),
      markAsReadToken: expect.any(String),
    });
    expect(quote?.message).toMatchObject({ quotedMessageId: text.messageId });
    expect(edited).toMatchObject({
      type: "messageEdited",
      message: { id: text.messageId, type: "text", text: "edited" },
    });
    expect((edited?.message as Event | undefined)?.quoteToken).not.toBe(
      (original?.message as Event | undefined)?.quoteToken,
    );
    expect(edited?.replyToken).not.toBe(original?.replyToken);
    expect(image?.message).toMatchObject({ type: "image", contentProvider: { type: "line" } });
    expect(video?.message).toMatchObject({ type: "video", duration: 1234 });
    expect(audio?.message).toMatchObject({ type: "audio", duration: 2000 });
    expect(audio?.message).not.toHaveProperty("quoteToken");
    expect(file?.message).toMatchObject({ type: "file", fileName: "notes.txt", fileSize: 3 });
    expect(location?.message).toMatchObject({
      type: "location",
      title: "Tower",
      address: "Tokyo",
      latitude: 35.6,
      longitude: 139.7,
    });
    expect(sticker?.message).toMatchObject({
      type: "sticker",
      packageId: "11537",
      stickerId: "52002734",
      stickerResourceType: "STATIC",
    });
    expect(postback?.postback).toEqual({ data: "action=buy", params: { date: "2026-01-01" } });
    expect(follow?.follow).toEqual({ isUnblocked: false });
    expect(unsend).toMatchObject({ type: "unsend", unsend: { messageId: text.messageId } });
    expect(joined).toMatchObject({
      source: { type: "room", roomId: room.roomId },
      joined: { members: [{ type: "user", userId: carol.userId }] },
    });
    expect(joined?.source).not.toHaveProperty("userId");
    expect(left).toMatchObject({
      type: "memberLeft",
      left: { members: [{ type: "user", userId: carol.userId }] },
    });
    expect(leave).toMatchObject({
      type: "leave",
      source: { type: "group", groupId: group.groupId },
    });
    expect(join).toMatchObject({ type: "join", source: { type: "group", groupId: group.groupId } });
    expect(unfollow).toMatchObject({
      type: "unfollow",
      source: { type: "user", userId: alice.userId },
    });

    expect(emulator.messages(group.groupId).find((m) => m.id === text.messageId)).toMatchObject({
      unsent: true,
      edited: true,
    });
  });

  it("refuses events LINE would never send", async () => {
    const { emulator, alice, room } = await start();
    expect(() => emulator.sendEvent({ type: "messageEdited", messageId: "1", text: "x" })).toThrow(
      /groups/,
    );
    expect(() =>
      emulator.sendEvent({ type: "follow", chat: { type: "room", roomId: room.roomId } }),
    ).toThrow(/one-to-one/);
    emulator.sendEvent({ type: "unfollow", from: alice.userId });
    expect(() => emulator.sendEvent({ type: "text", from: alice.userId, text: "x" })).toThrow(
      /blocked/,
    );
  });

  it("leaves out the reply token in standby mode", async () => {
    const { emulator, receiver } = await start();
    const sent = emulator.sendEvent({ type: "text", text: "quiet", delivery: { mode: "standby" } });
    await emulator.waitForDeliveries(() => true);
    expect(sent.replyToken).toBeUndefined();
    expect(receiver.events()[0]).toMatchObject({ mode: "standby" });
    expect(receiver.events()[0]).not.toHaveProperty("replyToken");
  });

  it("sends a Verify request with no events, signed", async () => {
    const { emulator, receiver } = await start();
    expect(await emulator.verify()).toEqual({ status: 200 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.rawBody.toString()).toBe(
      JSON.stringify({ destination: emulator.bot.userId, events: [] }),
    );
    expect(receiver.received[0]?.signatureValid).toBe(true);
  });

  it("carries several events in one request", async () => {
    const { emulator, receiver, alice, bob } = await start();
    const batch = emulator.sendEvents({
      events: [
        { type: "text", from: alice.userId, text: "one" },
        { type: "text", from: bob.userId, text: "two" },
        { type: "postback", from: bob.userId, data: "three" },
      ],
    });
    await emulator.waitForDeliveries(() => true);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.events().map((e) => e.webhookEventId)).toEqual(
      batch.events.map((e) => e.webhookEventId),
    );
    expect(receiver.events().map((e) => (e.source as Event).userId)).toEqual([
      alice.userId,
      bob.userId,
      bob.userId,
    ]);
  });
});

describe("redelivery", () => {
  it("redelivers after a 5xx with the same id and token, only isRedelivery changed", async () => {
    const { emulator, receiver } = await start();
    receiver.answerNext({ status: 500 }, { status: 503 });
    const sent = emulator.sendEvent({ type: "text", text: "again" });
    const attempts = await emulator.waitForDeliveries((d) => d.deliveryId === sent.deliveryId, {
      count: 3,
    });
    expect(attempts.map((a) => [a.attempt, a.status, a.isRedelivery])).toEqual([
      [1, 500, false],
      [2, 503, true],
      [3, 200, true],
    ]);
    const [first, second, third] = receiver.received;
    expect(third?.rawBody.toString()).toBe(second?.rawBody.toString());
    expect(second?.rawBody.toString()).toBe(
      first?.rawBody.toString().replace('"isRedelivery":false', '"isRedelivery":true'),
    );
    const redelivered = second?.body.events[0];
    expect(redelivered).toMatchObject({
      webhookEventId: sent.webhookEventId,
      replyToken: sent.replyToken,
      deliveryContext: { isRedelivery: true },
    });
    expect(redelivered?.timestamp).toBe(first?.body.events[0]?.timestamp);
    expect(receiver.received.every((w) => w.signatureValid)).toBe(true);
    // No further attempts once the bot answered 2xx.
    await emulator.deliveryDone(sent.deliveryId);
    expect(receiver.received).toHaveLength(3);
  });

  it("treats an answer slower than the timeout as a failure and redelivers", async () => {
    const { emulator, receiver } = await start({ webhookTimeoutMs: 200 });
    receiver.answerNext({ delayMs: 600 });
    const sent = emulator.sendEvent({ type: "text", text: "slow" });
    const attempts = await emulator.waitForDeliveries((d) => d.deliveryId === sent.deliveryId, {
      count: 2,
    });
    expect(attempts[0]).toMatchObject({ status: 0, error: "request_timeout", isRedelivery: false });
    expect(attempts[0]?.durationMs).toBeLessThan(600);
    expect(attempts[1]).toMatchObject({ status: 200, isRedelivery: true });
    const ids = receiver.events().map((e) => [e.webhookEventId, e.replyToken]);
    expect(ids).toEqual([
      [sent.webhookEventId, sent.replyToken],
      [sent.webhookEventId, sent.replyToken],
    ]);
  });

  it("gives up after the configured delays, and not at all when disabled", async () => {
    const { emulator, receiver } = await start();
    receiver.answerNext(...Array(10).fill({ status: 500 }));
    const sent = emulator.sendEvent({ type: "text", text: "never" });
    await emulator.deliveryDone(sent.deliveryId);
    expect(emulator.deliveries().filter((d) => d.deliveryId === sent.deliveryId)).toHaveLength(4);

    emulator.configure({ redelivery: { enabled: false } });
    const once = emulator.sendEvent({ type: "text", text: "once" });
    await emulator.deliveryDone(once.deliveryId);
    expect(emulator.deliveries().filter((d) => d.deliveryId === once.deliveryId)).toHaveLength(1);
  });

  it("lets a redelivered token reply, but never 20 minutes after the event", async () => {
    const clock = manualClock();
    const { emulator, receiver } = await start({ now: clock.now, replyTokenTtlMs: 60_000 });
    const { client } = sdkClients(emulator);
    receiver.answerNext({ status: 500 });
    const sent = emulator.sendEvent({ type: "text", text: "late", delivery: { redeliver: true } });
    await emulator.waitForDeliveries((d) => d.isRedelivery);

    // Redelivery resets the one-minute window, but the 20-minute cap from the event still holds.
    clock.advance(20 * 60_000 + 1);
    const failure = await sdkFailure(
      client.replyMessage({
        replyToken: sent.replyToken ?? "",
        messages: [{ type: "text", text: "x" }],
      }),
    );
    expect(failure.body).toEqual({ message: "Invalid reply token" });

    const fresh = emulator.sendEvent({ type: "text", text: "soon", delivery: { redeliver: true } });
    await emulator.waitForDeliveries(
      (d) => d.isRedelivery && d.webhookEventIds.includes(fresh.webhookEventId),
    );
    await client.replyMessage({
      replyToken: fresh.replyToken ?? "",
      messages: [{ type: "text", text: "ok" }],
    });
  });
});

describe("duplicates and ordering", () => {
  it("sends identical duplicates on demand", async () => {
    const { emulator, receiver } = await start();
    const sent = emulator.sendEvent({ type: "text", text: "dup", delivery: { duplicates: 2 } });
    await emulator.waitForDeliveries((d) => d.deliveryId === sent.deliveryId, { count: 3 });
    expect(receiver.received).toHaveLength(3);
    const bodies = new Set(receiver.received.map((w) => w.rawBody.toString()));
    expect(bodies.size).toBe(1);
    expect(receiver.events().every((e) => e.webhookEventId === sent.webhookEventId)).toBe(true);
  });

  it("delivers out of order when an event is held back", async () => {
    const { emulator, receiver } = await start();
    const first = emulator.sendEvent({ type: "text", text: "first", delivery: { delayMs: 200 } });
    const second = emulator.sendEvent({ type: "text", text: "second" });
    await emulator.waitForDeliveries(() => true, { count: 2 });
    expect(receiver.events().map((e) => e.webhookEventId)).toEqual([
      second.webhookEventId,
      first.webhookEventId,
    ]);
    const [late, early] = receiver.events();
    expect(Number(late?.timestamp)).toBeGreaterThanOrEqual(Number(early?.timestamp));
  });
});

describe("the bot's answers", () => {
  it("records replies in the chat for a bot that answers from its webhook", async () => {
    const { emulator, receiver, alice } = await start();
    const { client } = sdkClients(emulator);
    receiver.onRequest((webhook) => {
      for (const event of webhook.body.events) {
        const message = event.message as { text?: string } | undefined;
        if (typeof event.replyToken === "string" && message?.text) {
          void client.replyMessage({
            replyToken: event.replyToken,
            messages: [{ type: "text", text: `echo: ${message.text}` }],
          });
        }
      }
    });
    emulator.sendEvent({ type: "text", text: "ping" });
    const [answer] = await emulator.waitForBotMessages(alice.userId);
    expect(answer).toMatchObject({
      from: "bot",
      via: "reply",
      message: { type: "text", text: "echo: ping" },
    });
    expect(emulator.messages(alice.userId).map((m) => m.from)).toEqual(["user", "bot"]);
  });
});
