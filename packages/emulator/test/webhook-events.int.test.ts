import { moduleAttach, moduleOperation } from "@line/bot-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { validateSpecComponent } from "../src/index.ts";
import { manualClock, startEmulatorWithReceiver } from "./support/fixture.ts";
import { startReceiver } from "./support/receiver.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

type Running = Awaited<ReturnType<typeof startEmulatorWithReceiver>>;
let running: Running | undefined;

async function start(options: Parameters<typeof startEmulatorWithReceiver>[0] = {}) {
  running = await startEmulatorWithReceiver({
    users: [{ displayName: "Alice" }, { displayName: "Bob" }],
    ...options,
  });
  const { emulator, receiver } = running;
  const [alice, bob] = emulator.state().users.map((u) => u.userId) as [string, string];
  /** Sends an event through the control API, as the chat UI and `pnpm trigger` do. */
  const control = async (input: Record<string, unknown>) => {
    const response = await fetch(`${emulator.url}/emulator/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the control API's loose answers
    return { status: response.status, body: (await response.json()) as any };
  };
  /** Sends an event and returns the webhook request that carried it, once delivery is done. */
  const deliver = async (input: Record<string, unknown>) => {
    const sent = await control(input);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    await emulator.deliveryDone(sent.body.deliveryId);
    const webhook = receiver.received.find((w) =>
      w.body.events.some((e) => e.webhookEventId === sent.body.webhookEventId),
    );
    if (!webhook) throw new Error(`no webhook carried ${sent.body.webhookEventId}`);
    expect(webhook.signatureValid).toBe(true);
    const event = webhook.body.events[0] as Record<string, unknown>;
    return { sent: sent.body, body: webhook.body, event };
  };
  return { ...running, ...sdkClients(emulator), alice, bob, control, deliver };
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/**
 * The webhook body is what `CallbackRequest` of LINE's webhook spec describes, each event checked
 * against the schema its `type` maps to (a type the spec does not map is an error).
 */
function expectValidAgainstSpec(body: unknown) {
  expect(validateSpecComponent("webhook", "CallbackRequest", body)).toEqual([]);
}

describe("the ten event types beyond messages, through the control API", () => {
  it("videoPlayComplete: the user watched a video the bot sent with a trackingId", async () => {
    const { client, alice, deliver, control } = await start();
    const before = await control({ type: "videoPlayComplete", trackingId: "intro" });
    expect(before.status).toBe(400);
    expect(before.body.message).toContain("no video with trackingId intro");

    await client.pushMessage({
      to: alice,
      messages: [
        {
          type: "video",
          originalContentUrl: "https://example.com/intro.mp4",
          previewImageUrl: "https://example.com/intro.jpg",
          trackingId: "intro",
        },
      ],
    });
    const { body, event, sent } = await deliver({ type: "videoPlayComplete", trackingId: "intro" });
    expectValidAgainstSpec(body);
    expect(event).toMatchObject({
      type: "videoPlayComplete",
      videoPlayComplete: { trackingId: "intro" },
      source: { type: "user", userId: alice },
      replyToken: sent.replyToken,
      mode: "active",
    });
  });

  it("beacon: enter by default; banner and stay with a device message", async () => {
    const { alice, deliver, client } = await start();
    const enter = await deliver({ type: "beacon" });
    expectValidAgainstSpec(enter.body);
    expect(enter.event).toMatchObject({
      type: "beacon",
      beacon: { hwid: expect.stringMatching(/^[0-9a-f]{10}$/), type: "enter" },
      source: { type: "user", userId: alice },
      replyToken: expect.any(String),
    });
    // The reply token works like any other.
    await client.replyMessage({
      replyToken: enter.sent.replyToken,
      messages: [{ type: "text", text: "Welcome in" }],
    });
    const stay = await deliver({
      type: "beacon",
      hwid: "0123456789",
      beaconType: "stay",
      dm: "1234abcd",
    });
    expectValidAgainstSpec(stay.body);
    expect(stay.event.beacon).toEqual({ hwid: "0123456789", type: "stay", dm: "1234abcd" });
  });

  it("accountLink: ok with the link token the bot issued, once; failed without source and reply token after", async () => {
    const { alice, client, deliver } = await start();
    const { linkToken } = await client.issueLinkToken(alice);
    expect(linkToken).toMatch(/^[A-Za-z0-9]{32}$/);

    const linked = await deliver({ type: "accountLink", linkToken, nonce: "n-1" });
    expectValidAgainstSpec(linked.body);
    expect(linked.event).toMatchObject({
      type: "accountLink",
      link: { result: "ok", nonce: "n-1" },
      source: { type: "user", userId: alice },
      replyToken: linked.sent.replyToken,
    });
    expect(linked.sent.replyToken).toEqual(expect.any(String));

    const again = await deliver({ type: "accountLink", linkToken, nonce: "n-2" });
    expectValidAgainstSpec(again.body);
    expect(again.event.link).toEqual({ result: "failed", nonce: "n-2" });
    expect(again.event).not.toHaveProperty("source");
    expect(again.event).not.toHaveProperty("replyToken");
    expect(again.sent).not.toHaveProperty("replyToken");
  });

  it("accountLink: the newest usable token when none is named; expired after ten minutes; not another user's", async () => {
    const clock = manualClock();
    const { alice, bob, client, deliver } = await start({ now: clock.now });
    await client.issueLinkToken(alice);
    const newest = await deliver({ type: "accountLink", from: alice });
    expect(newest.event.link).toMatchObject({ result: "ok", nonce: expect.any(String) });

    const { linkToken: alicesToken } = await client.issueLinkToken(alice);
    const wrongUser = await deliver({ type: "accountLink", from: bob, linkToken: alicesToken });
    expect(wrongUser.event.link).toMatchObject({ result: "failed" });

    clock.advance(10 * 60_000 + 1);
    const late = await deliver({ type: "accountLink", from: alice, linkToken: alicesToken });
    expect(late.event.link).toMatchObject({ result: "failed" });
    expectValidAgainstSpec(late.body);
  });

  it("membership: joined, renewed and left one of the channel's plans, which the API then reports", async () => {
    const { alice, emulator, client, deliver, control } = await start();
    const { membershipId } = emulator.addMembershipPlan({
      title: "Gold",
      benefits: ["Free coffee"],
      price: 500,
    });
    const unknownPlan = await control({ type: "membership", membershipId: membershipId + 1 });
    expect(unknownPlan.status).toBe(400);
    expect(unknownPlan.body.message).toContain(`no membership plan ${membershipId + 1}`);
    const notYet = await control({ type: "membership", membershipType: "left", membershipId });
    expect(notYet.body.message).toContain("does not subscribe");

    for (const membershipType of ["joined", "renewed"]) {
      const { body, event } = await deliver({ type: "membership", membershipType, membershipId });
      expectValidAgainstSpec(body);
      expect(event).toMatchObject({
        type: "membership",
        membership: { type: membershipType, membershipId },
        source: { type: "user", userId: alice },
        replyToken: expect.any(String),
      });
    }
    expect((await client.getJoinedMembershipUsers(membershipId)).userIds).toEqual([alice]);
    const left = await deliver({ type: "membership", membershipType: "left", membershipId });
    expectValidAgainstSpec(left.body);
    expect((await client.getJoinedMembershipUsers(membershipId)).userIds).toEqual([]);
  });

  it("module: attached with scopes and detached, without source or reply token", async () => {
    const { emulator, deliver } = await start();
    const attached = await deliver({ type: "module" });
    expectValidAgainstSpec(attached.body);
    expect(attached.event).toMatchObject({
      type: "module",
      module: {
        type: "attached",
        botId: emulator.bot.userId,
        scopes: ["message:send", "message:receive"],
      },
      mode: "active",
    });
    const detached = await deliver({ type: "module", moduleType: "detached" });
    expectValidAgainstSpec(detached.body);
    expect(detached.event.module).toEqual({
      type: "detached",
      botId: emulator.bot.userId,
      reason: "bot_deleted",
    });
    for (const event of [attached.event, detached.event]) {
      expect(event).not.toHaveProperty("source");
      expect(event).not.toHaveProperty("replyToken");
    }
  });

  it("activated and deactivated: about a chat, with chat control's end, no reply token", async () => {
    const { alice, bob, emulator, deliver } = await start();
    const activated = await deliver({ type: "activated", expireAt: Date.now() + 60_000 });
    expectValidAgainstSpec(activated.body);
    expect(activated.event).toMatchObject({
      type: "activated",
      chatControl: { expireAt: expect.any(Number) },
      source: { type: "user", userId: alice },
      mode: "active",
    });
    expect(activated.event).not.toHaveProperty("replyToken");

    const { groupId } = emulator.addGroup({ groupName: "Team", memberIds: [alice, bob] });
    const deactivated = await deliver({ type: "deactivated", chat: { type: "group", groupId } });
    expectValidAgainstSpec(deactivated.body);
    expect(deactivated.event).toMatchObject({ type: "deactivated", mode: "active" });
    // About the chat, not a user in it.
    expect(deactivated.event.source).toEqual({ type: "group", groupId });
    expect(deactivated.event).not.toHaveProperty("replyToken");
  });

  it("botSuspended and botResumed: only the event, no source", async () => {
    const { deliver } = await start();
    for (const type of ["botSuspended", "botResumed"]) {
      const { body, event } = await deliver({ type });
      expectValidAgainstSpec(body);
      expect(Object.keys(event).sort()).toEqual([
        "deliveryContext",
        "mode",
        "timestamp",
        "type",
        "webhookEventId",
      ]);
      expect(event).toMatchObject({ type, mode: "active" });
    }
  });

  it("delivery: a notification message reached the user, also one who is not a friend", async () => {
    const { alice, deliver } = await start();
    await deliver({ type: "unfollow" });
    const data = "0f3ae1a9f1f6d8b0a9c4d2e7b5a6c3d8e9f0a1b2c3d4e5f60718293a4b5c6d7e";
    const { body, event, sent } = await deliver({ type: "delivery", deliveryData: data });
    expectValidAgainstSpec(body);
    expect(event).toMatchObject({
      type: "delivery",
      delivery: { data },
      source: { type: "user", userId: alice },
    });
    expect(event).not.toHaveProperty("replyToken");
    expect(sent).not.toHaveProperty("replyToken");
  });
});

describe("events LINE sends when a module channel's API calls change its situation", () => {
  it("attach sends module, acquiring a chat activated, releasing it deactivated, to the module's webhook", async () => {
    const moduleReceiver = await startReceiver("helpdesk-secret");
    try {
      const { emulator, alice } = await start({
        channels: [
          {
            name: "helpdesk",
            channelId: "2000000001",
            channelSecret: "helpdesk-secret",
            channelAccessToken: "helpdesk-token",
            webhookUrl: moduleReceiver.url,
          },
        ],
      });
      const baseURL = emulator.url;
      const module = new moduleOperation.LineModuleClient({
        channelAccessToken: "helpdesk-token",
        baseURL,
      });
      await new moduleAttach.LineModuleAttachClient({
        channelAccessToken: "helpdesk-token",
        baseURL,
      }).attachModule(
        "authorization_code",
        "default",
        "https://example.com/cb",
        undefined,
        "2000000001",
        "helpdesk-secret",
      );
      await module.acquireChatControl(alice, { expired: true, ttl: 60 });
      await module.releaseChatControl(alice);

      const attempts = await emulator.waitForDeliveries(
        (d) => d.channel === "helpdesk" && d.status === 200,
        { count: 3 },
      );
      for (const webhook of moduleReceiver.received) {
        expect(webhook.signatureValid).toBe(true);
        expectValidAgainstSpec(webhook.body);
      }
      // Deliveries may finish in any order: find each event by its type.
      const events = attempts.map((attempt) => JSON.parse(attempt.body).events[0]);
      const eventOf = (type: string) => events.find((event) => event.type === type);
      expect(eventOf("module")).toMatchObject({
        type: "module",
        module: { type: "attached", botId: emulator.bot.userId },
      });
      expect(eventOf("activated")).toMatchObject({
        type: "activated",
        source: { type: "user", userId: alice },
        chatControl: { expireAt: expect.any(Number) },
      });
      expect(eventOf("deactivated")).toMatchObject({
        type: "deactivated",
        source: { type: "user", userId: alice },
      });
    } finally {
      await moduleReceiver.close();
    }
  });
});

describe("event input that LINE could not produce", () => {
  it("answers 400 naming the mistake", async () => {
    const { control, alice, bob, emulator } = await start();
    const { groupId } = emulator.addGroup({ groupName: "Team", memberIds: [alice, bob] });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: "text", hwid: "0123456789" }, "hwid goes only with a beacon event"],
      [{ type: "beacon", hwid: "xyz" }, "hwid is 10 lower-case hex digits"],
      [{ type: "module", from: alice }, "module events have no source"],
      [
        { type: "botSuspended", delivery: { mode: "standby" } },
        "botSuspended events are always sent in active mode",
      ],
      [{ type: "membership" }, "membership needs membershipId"],
      [{ type: "delivery" }, "delivery needs deliveryData"],
      [
        { type: "beacon", chat: { type: "group", groupId } },
        "beacon happens only in one-to-one chats",
      ],
      [{ type: "activated", expireAt: 1 }, "expireAt must be later than the event"],
      [
        { type: "module", moduleType: "detached", scopes: ["x"] },
        "scopes go only with an attached",
      ],
    ];
    for (const [input, message] of cases) {
      const answer = await control(input);
      expect(answer.status, JSON.stringify(input)).toBe(400);
      expect(answer.body.code).toBe("LF_EMULATOR_INVALID_INPUT");
      expect(answer.body.message).toContain(message);
    }
  });

  it("issues link tokens only for users who are friends of the bot", async () => {
    const { client, deliver } = await start();
    await deliver({ type: "unfollow" });
    const blocked = await sdkFailure(
      client.issueLinkToken(running?.emulator.state().users[0]?.userId ?? ""),
    );
    expect(blocked.status).toBe(404);
    expect(blocked.body).toEqual({ message: "Not found" });
  });
});
