import { randomUUID } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { freePort } from "@linefleet/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { validateResponse } from "../src/validation/validate-response.ts";
import { manualClock, startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

async function start(options: Parameters<typeof startEmulatorWithReceiver>[0] = {}) {
  running = await startEmulatorWithReceiver(options);
  const alice = running.emulator.state().users[0];
  if (!alice) throw new Error("the emulator starts with one user");
  return { ...running, alice, ...sdkClients(running.emulator) };
}

afterEach(async () => {
  // Every answer the tests got from a LINE operation, held to that operation's response schema;
  // injected faults answer whatever the test asked for, so they are left out.
  for (const call of running?.emulator.apiCalls() ?? []) {
    if (call.operation === undefined || call.fault !== undefined) continue;
    expect(validateResponse(call.operation, call.status, call.response), call.operation).toEqual(
      [],
    );
  }
  await running?.close();
  running = undefined;
});

describe("reply", () => {
  it("accepts a reply token once, then answers 400 Invalid reply token and delivers nothing", async () => {
    const { emulator, client, alice } = await start();
    const { replyToken } = emulator.sendEvent({ type: "text", text: "hi" });
    if (!replyToken) throw new Error("text events carry a reply token");

    const first = await client.replyMessageWithHttpInfo({
      replyToken,
      messages: [{ type: "text", text: "hello" }],
    });
    expect(first.httpResponse.status).toBe(200);
    expect(first.httpResponse.headers.get("x-line-request-id")).toMatch(uuidPattern);
    expect(first.body.sentMessages).toHaveLength(1);
    expect(typeof first.body.sentMessages[0]?.id).toBe("string");
    expect(first.body.sentMessages[0]?.quoteToken).toBeTruthy();

    const again = await sdkFailure(
      client.replyMessage({ replyToken, messages: [{ type: "text", text: "twice" }] }),
    );
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ message: "Invalid reply token" });
    expect(again.headers.get("x-line-request-id")).toMatch(uuidPattern);

    const botMessages = emulator.messages(alice.userId).filter((m) => m.from === "bot");
    expect(botMessages.map((m) => [m.via, m.message.text])).toEqual([["reply", "hello"]]);
  });

  it("refuses a token after the TTL, counted on the injected clock", async () => {
    const clock = manualClock();
    const { emulator, client } = await start({ now: clock.now, replyTokenTtlMs: 30_000 });
    const fresh = emulator.sendEvent({ type: "text", text: "one" });
    const stale = emulator.sendEvent({ type: "text", text: "two" });
    // The TTL counts from the webhook, so let both go out before time moves.
    await emulator.waitForDeliveries((d) => d.status === 200, { count: 2 });
    clock.advance(29_000);
    await client.replyMessage({
      replyToken: fresh.replyToken ?? "",
      messages: [{ type: "text", text: "in time" }],
    });
    clock.advance(2_000);
    const late = await sdkFailure(
      client.replyMessage({
        replyToken: stale.replyToken ?? "",
        messages: [{ type: "text", text: "late" }],
      }),
    );
    expect(late.status).toBe(400);
    expect(late.body.message).toBe("Invalid reply token");
  });

  it("refuses an unknown token", async () => {
    const { client } = await start();
    const failure = await sdkFailure(
      client.replyMessage({ replyToken: "0".repeat(32), messages: [{ type: "text", text: "x" }] }),
    );
    expect(failure.status).toBe(400);
    expect(failure.body.message).toBe("Invalid reply token");
  });

  it("answers 400 to a retry key on reply, leaving the token usable", async () => {
    const { emulator, client, alice } = await start();
    const { replyToken } = emulator.sendEvent({ type: "text", text: "hi" });
    const response = await fetch(`${emulator.url}/v2/bot/message/reply`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${emulator.channelAccessToken}`,
        "content-type": "application/json",
        "x-line-retry-key": randomUUID(),
      },
      body: JSON.stringify({ replyToken, messages: [{ type: "text", text: "x" }] }),
    });
    expect(response.status).toBe(400);
    expect(emulator.messages(alice.userId).filter((m) => m.from === "bot")).toEqual([]);
    await client.replyMessage({
      replyToken: replyToken ?? "",
      messages: [{ type: "text", text: "ok" }],
    });
  });
});

describe("push and retry keys", () => {
  it("answers a repeated retry key with 409, the accepted request id and the original sentMessages", async () => {
    const { emulator, client, alice } = await start();
    const retryKey = randomUUID();
    const request = { to: alice.userId, messages: [{ type: "text" as const, text: "once" }] };
    const first = await client.pushMessageWithHttpInfo(request, retryKey);
    expect(first.httpResponse.status).toBe(200);
    const acceptedId = first.httpResponse.headers.get("x-line-request-id");

    const retry = await sdkFailure(client.pushMessage(request, retryKey));
    expect(retry.status).toBe(409);
    expect(retry.headers.get("x-line-accepted-request-id")).toBe(acceptedId);
    expect(retry.headers.get("x-line-request-id")).not.toBe(acceptedId);
    expect(retry.body).toEqual({
      message: "The retry key is already accepted",
      sentMessages: first.body.sentMessages,
    });
    expect(emulator.messages(alice.userId).filter((m) => m.via === "push")).toHaveLength(1);
  });

  it("forgets a retry key after 24 hours", async () => {
    const clock = manualClock();
    const { emulator, client, alice } = await start({ now: clock.now });
    const retryKey = randomUUID();
    const request = { to: alice.userId, messages: [{ type: "text" as const, text: "daily" }] };
    await client.pushMessage(request, retryKey);
    clock.advance(24 * 60 * 60_000 + 1);
    await client.pushMessage(request, retryKey);
    expect(emulator.messages(alice.userId).filter((m) => m.via === "push")).toHaveLength(2);
  });

  it("answers 409 without sentMessages for multicast", async () => {
    const { client, alice } = await start();
    const retryKey = randomUUID();
    const request = { to: [alice.userId], messages: [{ type: "text" as const, text: "all" }] };
    await client.multicast(request, retryKey);
    const retry = await sdkFailure(client.multicast(request, retryKey));
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual({ message: "The retry key is already accepted" });
  });

  it("refuses a retry key that is not a UUID", async () => {
    const { client, alice } = await start();
    const failure = await sdkFailure(
      client.pushMessage(
        { to: alice.userId, messages: [{ type: "text", text: "x" }] },
        "not-a-uuid",
      ),
    );
    expect(failure.status).toBe(400);
  });

  it("refuses pushes to ids the channel does not know", async () => {
    const { client } = await start();
    const failure = await sdkFailure(
      client.pushMessage({ to: `U${"a".repeat(32)}`, messages: [{ type: "text", text: "x" }] }),
    );
    expect(failure.status).toBe(400);
    expect(failure.body).toEqual({ message: "Failed to send messages" });
  });

  it("pushes to groups and rooms the bot is in", async () => {
    const { emulator, client, alice } = await start();
    const bob = emulator.addUser({ displayName: "Bob" });
    const group = emulator.addGroup({ groupName: "Team", memberIds: [alice.userId, bob.userId] });
    const room = emulator.addRoom({ memberIds: [alice.userId, bob.userId] });
    await client.pushMessage({ to: group.groupId, messages: [{ type: "text", text: "to group" }] });
    await client.pushMessage({ to: room.roomId, messages: [{ type: "text", text: "to room" }] });
    expect(emulator.messages(group.groupId).map((m) => m.message.text)).toEqual(["to group"]);
    expect(emulator.messages(room.roomId).map((m) => m.message.text)).toEqual(["to room"]);
  });

  it("broadcasts to every friend and narrowcasts with 202", async () => {
    const { emulator, client, alice } = await start();
    const bob = emulator.addUser({ displayName: "Bob" });
    await client.broadcast({ messages: [{ type: "text", text: "news" }] });
    const narrow = await client.narrowcastWithHttpInfo({
      messages: [{ type: "text", text: "some" }],
    });
    expect(narrow.httpResponse.status).toBe(202);
    const requestId = narrow.httpResponse.headers.get("x-line-request-id") ?? "";
    expect(await client.getNarrowcastProgress(requestId)).toMatchObject({
      phase: "succeeded",
      targetCount: 2,
    });
    for (const user of [alice, bob]) {
      expect(emulator.messages(user.userId).map((m) => m.via)).toEqual(["broadcast", "narrowcast"]);
    }
    const quota = await client.getMessageQuotaConsumption();
    expect(quota.totalUsage).toBe(4);
  });
});

describe("authentication, limits and validation", () => {
  it("answers 401 to a wrong channel access token", async () => {
    const { emulator } = await start();
    const { client } = sdkClients(emulator, "wrong-token");
    const failure = await sdkFailure(client.getBotInfo());
    expect(failure.status).toBe(401);
    expect(typeof failure.body.message).toBe("string");
  });

  it("answers 400 with LINE's details for invalid messages", async () => {
    const { client, alice } = await start();
    const tooMany = await sdkFailure(
      client.pushMessage({
        to: alice.userId,
        messages: Array(6).fill({ type: "text", text: "x" }),
      }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({
      message: "The request body has 1 error(s)",
      details: [{ message: "Size must be between 1 and 5", property: "messages" }],
    });

    const tooLong = await sdkFailure(
      client.validatePush({ messages: [{ type: "text", text: "🍎".repeat(2501) }] }),
    );
    expect(tooLong.body.details).toEqual([
      { message: "Length must be between 0 and 5000", property: "messages[0].text" },
    ]);
    await client.validatePush({ messages: [{ type: "text", text: "🍎".repeat(2500) }] });
  });

  it("limits multicast to 500 user ids", async () => {
    const { emulator, client, alice } = await start();
    const others = Array.from({ length: 500 }, (_, i) => `U${i.toString(16).padStart(32, "0")}`);
    const failure = await sdkFailure(
      client.multicast({ to: [alice.userId, ...others], messages: [{ type: "text", text: "x" }] }),
    );
    expect(failure.body.details).toEqual([
      { message: "Size must be between 1 and 500", property: "to" },
    ]);
    await client.multicast({
      to: [alice.userId, ...others.slice(1)],
      messages: [{ type: "text", text: "x" }],
    });
    expect(emulator.messages(alice.userId).map((m) => m.via)).toEqual(["multicast"]);
  });

  it("validates the loading animation as LINE does", async () => {
    const { emulator, client, alice } = await start();
    const ok = await client.showLoadingAnimationWithHttpInfo({
      chatId: alice.userId,
      loadingSeconds: 10,
    });
    expect(ok.httpResponse.status).toBe(202);
    const bad = await sdkFailure(
      client.showLoadingAnimation({ chatId: alice.userId, loadingSeconds: 63 }),
    );
    expect(bad.body).toEqual({
      message: "The request body has 2 error(s)",
      details: [
        { message: "Must be between 5 and 60", property: "loadingSeconds" },
        { message: "must be a multiple of five", property: "loadingSeconds" },
      ],
    });
    const bob = emulator.addUser({ displayName: "Bob" });
    const group = emulator.addGroup({ groupName: "G", memberIds: [alice.userId, bob.userId] });
    const inGroup = await sdkFailure(
      client.showLoadingAnimation({ chatId: group.groupId, loadingSeconds: 5 }),
    );
    expect(inGroup.body.details).toEqual([expect.objectContaining({ property: "chatId" })]);
  });

  it("answers 413 to a body over 2 MB", async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/v2/bot/message/validate/push`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${emulator.channelAccessToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ messages: [{ type: "text", text: "x".repeat(2 * 1024 * 1024) }] }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("x-line-request-id")).toMatch(uuidPattern);
  });

  it("answers 429 once a configured rate limit is used up", async () => {
    const clock = manualClock();
    const { client } = await start({ now: clock.now, rateLimits: { "/v2/bot/info": 2 } });
    await client.getBotInfo();
    await client.getBotInfo();
    const limited = await sdkFailure(client.getBotInfo());
    expect(limited.status).toBe(429);
    expect(limited.body.message).toBe("The API rate limit has been exceeded. Try again later.");
    clock.advance(500);
    await client.getBotInfo();
  });
});

describe("fault injection", () => {
  it("answers with the injected status a limited number of times, delivering nothing", async () => {
    const { emulator, client, alice } = await start();
    emulator.addFault({
      match: { method: "POST", path: "/v2/bot/message/push" },
      status: 500,
      body: { message: "boom" },
      times: 1,
    });
    const request = { to: alice.userId, messages: [{ type: "text" as const, text: "x" }] };
    const failure = await sdkFailure(client.pushMessage(request));
    expect(failure.status).toBe(500);
    expect(failure.body).toEqual({ message: "boom" });
    expect(emulator.messages(alice.userId)).toEqual([]);
    await client.pushMessage(request);
    expect(emulator.messages(alice.userId)).toHaveLength(1);
  });

  it("delivers, then drops the connection without an answer", async () => {
    const { emulator, client, alice } = await start();
    emulator.addFault({ match: { path: "/v2/bot/message/push" }, dropAfterAccept: true, times: 1 });
    const retryKey = randomUUID();
    const request = { to: alice.userId, messages: [{ type: "text" as const, text: "maybe" }] };
    await expect(client.pushMessage(request, retryKey)).rejects.toThrow(TypeError);
    expect(emulator.messages(alice.userId).map((m) => m.message.text)).toEqual(["maybe"]);
    // The accepted-but-unanswered push was remembered: the retry is a 409, not a second message.
    const retry = await sdkFailure(client.pushMessage(request, retryKey));
    expect(retry.status).toBe(409);
    expect(emulator.messages(alice.userId)).toHaveLength(1);
  });

  it("delays matching calls", async () => {
    const { emulator, client } = await start();
    emulator.addFault({ match: { path: "/v2/bot/info" }, delayMs: 300, times: 1 });
    const started = performance.now();
    await client.getBotInfo();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe("data API", () => {
  it("serves the bytes a user sent, then 410 after unsend", async () => {
    const { emulator, blob, alice } = await start();
    const bytes = Buffer.from("not really a jpeg, but these exact bytes");
    const sent = emulator.sendEvent({
      type: "image",
      contentBase64: bytes.toString("base64"),
      contentType: "image/jpeg",
    });
    const messageId = sent.messageId ?? "";

    const content = await blob.getMessageContentWithHttpInfo(messageId);
    expect(content.httpResponse.headers.get("content-type")).toBe("image/jpeg");
    expect(await buffer(content.body)).toEqual(bytes);
    expect(await buffer(await blob.getMessageContentPreview(messageId))).toEqual(bytes);

    emulator.sendEvent({ type: "unsend", from: alice.userId, messageId });
    const gone = await sdkFailure(blob.getMessageContent(messageId));
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({ message: "The content is gone" });
  });

  it("reports transcoding for video and refuses it for images", async () => {
    const { emulator, blob } = await start();
    const video = emulator.sendEvent({ type: "video" });
    expect(await blob.getMessageContentTranscodingByMessageId(video.messageId ?? "")).toEqual({
      status: "succeeded",
    });
    const image = emulator.sendEvent({ type: "image" });
    const failure = await sdkFailure(
      blob.getMessageContentTranscodingByMessageId(image.messageId ?? ""),
    );
    expect(failure.status).toBe(400);
    const missing = await sdkFailure(blob.getMessageContent("123"));
    expect(missing.status).toBe(404);
  });
  it("answers 202 while a video is still being prepared, as many times as asked", async () => {
    const { emulator, blob } = await start();
    const bytes = Buffer.from("a long video");
    const video = emulator.sendEvent({
      type: "video",
      contentBase64: bytes.toString("base64"),
      preparingCalls: 2,
    });
    const id = video.messageId ?? "";
    expect(await blob.getMessageContentTranscodingByMessageId(id)).toEqual({
      status: "processing",
    });
    expect((await blob.getMessageContentWithHttpInfo(id)).httpResponse.status).toBe(202);
    expect((await blob.getMessageContentWithHttpInfo(id)).httpResponse.status).toBe(202);
    const ready = await blob.getMessageContentWithHttpInfo(id);
    expect(ready.httpResponse.status).toBe(200);
    expect(await buffer(ready.body)).toEqual(bytes);
    expect(await blob.getMessageContentTranscodingByMessageId(id)).toEqual({ status: "succeeded" });
    expect(() => emulator.sendEvent({ type: "image", preparingCalls: 1 })).toThrow(
      /video and audio/,
    );
  });
});

describe("profiles, bot info and quota", () => {
  it("answers profile, group and room lookups from the emulated world", async () => {
    const { emulator, client, alice } = await start();
    expect(await client.getProfile(alice.userId)).toMatchObject({
      userId: alice.userId,
      displayName: "Alice",
    });
    const bob = emulator.addUser({ displayName: "Bob" });
    const group = emulator.addGroup({ groupName: "Team", memberIds: [alice.userId, bob.userId] });
    expect(await client.getGroupSummary(group.groupId)).toEqual({
      groupId: group.groupId,
      groupName: "Team",
    });
    expect(await client.getGroupMemberCount(group.groupId)).toEqual({ count: 2 });
    expect((await client.getGroupMembersIds(group.groupId)).memberIds).toEqual([
      alice.userId,
      bob.userId,
    ]);
    expect(await client.getGroupMemberProfile(group.groupId, bob.userId)).toMatchObject({
      displayName: "Bob",
    });
    const room = emulator.addRoom({ memberIds: [bob.userId] });
    expect(await client.getRoomMemberCount(room.roomId)).toEqual({ count: 1 });

    await client.leaveGroup(group.groupId);
    expect((await sdkFailure(client.getGroupSummary(group.groupId))).status).toBe(404);
    const afterLeave = await sdkFailure(
      client.pushMessage({ to: group.groupId, messages: [{ type: "text", text: "x" }] }),
    );
    expect(afterLeave.body).toEqual({ message: "Failed to send messages" });

    emulator.sendEvent({ type: "unfollow", from: alice.userId });
    expect((await sdkFailure(client.getProfile(alice.userId))).status).toBe(404);
  });

  it("answers bot info whose userId is the webhook destination, and the quota", async () => {
    const { emulator, client, receiver } = await start();
    const info = await client.getBotInfo();
    expect(info).toMatchObject({
      userId: emulator.bot.userId,
      displayName: emulator.bot.displayName,
      chatMode: "bot",
    });
    await emulator.verify();
    expect(receiver.received[0]?.body.destination).toBe(info.userId);
    expect(await client.getMessageQuota()).toEqual({ type: "none" });
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 0 });
  });

  it("marks as read with a token from a webhook and refuses others", async () => {
    const { emulator, client, receiver } = await start();
    emulator.sendEvent({ type: "text", text: "read me" });
    const [delivery] = await emulator.waitForDeliveries(() => true);
    expect(delivery?.status).toBe(200);
    const message = receiver.events()[0]?.message as { markAsReadToken: string };
    await client.markMessagesAsReadByToken({ markAsReadToken: message.markAsReadToken });
    const bad = await sdkFailure(client.markMessagesAsReadByToken({ markAsReadToken: "forged" }));
    expect(bad.status).toBe(400);
  });
});

describe("webhook endpoint API", () => {
  it("gets, sets and tests the endpoint", async () => {
    const { emulator, client, receiver } = await start();
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: receiver.url, active: true });
    const bad = await sdkFailure(
      client.setWebhookEndpoint({ endpoint: "http://example.com/hook" }),
    );
    expect(bad.body).toEqual({ message: "Invalid webhook endpoint URL" });
    const test = await client.testWebhookEndpoint({});
    expect(test).toMatchObject({ success: true, statusCode: 200, reason: "OK" });
    expect(receiver.received.at(-1)?.body.events).toEqual([]);
    expect(receiver.received.at(-1)?.signatureValid).toBe(true);

    const closed = `http://127.0.0.1:${await freePort()}/nowhere`;
    await client.setWebhookEndpoint({ endpoint: closed });
    expect(emulator.state().webhookUrl).toBe(closed);
    const failed = await client.testWebhookEndpoint({});
    expect(failed).toMatchObject({ success: false, reason: "COULD_NOT_CONNECT" });
  });
});
