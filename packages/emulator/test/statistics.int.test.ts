import { insight } from "@line/bot-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock, startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

const HOUR = 60 * 60_000;

describe("statistics computed from the emulator's traffic", () => {
  it("counts the messages each kind of send delivered, per day in UTC+9", async () => {
    // 2026-03-10 20:00 UTC is already 2026-03-11 in UTC+9.
    const clock = manualClock(Date.UTC(2026, 2, 10, 20));
    running = await startEmulatorWithReceiver({
      now: clock.now,
      users: [{ displayName: "Alice" }, { displayName: "Bob" }, { displayName: "Carol" }],
    });
    const { emulator } = running;
    const { client } = sdkClients(emulator);
    const stats = new insight.InsightClient({
      channelAccessToken: emulator.channelAccessToken,
      baseURL: emulator.url,
    });
    const [alice, bob] = emulator.state().users.map((user) => user.userId) as [string, string];

    const { replyToken, deliveryId } = emulator.sendEvent({
      type: "text",
      text: "hi",
      from: alice,
    });
    await emulator.deliveryDone(deliveryId);
    await client.replyMessage({
      replyToken: replyToken ?? "",
      messages: [
        { type: "text", text: "one" },
        { type: "text", text: "two" },
      ],
    });
    await client.pushMessage({
      to: alice,
      messages: [{ type: "text", text: "push" }],
      customAggregationUnits: ["spring_sale"],
    });
    await client.multicast({
      to: [alice, bob],
      messages: [{ type: "text", text: "multi" }],
      customAggregationUnits: ["spring_sale"],
    });
    const broadcast = await client.broadcastWithHttpInfo({
      messages: [
        { type: "text", text: "all" },
        { type: "text", text: "of you" },
      ],
    });

    const today = "20260311";
    expect(await client.getNumberOfSentReplyMessages(today)).toEqual({
      status: "ready",
      success: 2,
    });
    expect(await client.getNumberOfSentPushMessages(today)).toEqual({
      status: "ready",
      success: 1,
    });
    expect(await client.getNumberOfSentMulticastMessages(today)).toEqual({
      status: "ready",
      success: 2,
    });
    expect(await client.getNumberOfSentBroadcastMessages(today)).toEqual({
      status: "ready",
      success: 6,
    });
    // The day before, in UTC+9, saw none of it; a day still to come is not counted yet.
    expect(await client.getNumberOfSentPushMessages("20260310")).toEqual({
      status: "ready",
      success: 0,
    });
    expect(await client.getNumberOfSentPushMessages("20260312")).toEqual({ status: "unready" });

    expect(await stats.getNumberOfMessageDeliveries(today)).toMatchObject({
      status: "ready",
      apiReply: 2,
      apiPush: 1,
      apiMulticast: 2,
      apiBroadcast: 6,
      apiNarrowcast: 0,
    });
    expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 9 });
    expect(await client.getAggregationUnitUsage()).toEqual({ numOfCustomAggregationUnits: 1 });
    expect(await client.getAggregationUnitNameList()).toEqual({
      customAggregationUnits: ["spring_sale"],
    });

    const requestId = broadcast.httpResponse.headers.get("x-line-request-id") ?? "";
    const event = await stats.getMessageEvent(requestId);
    expect(event.overview).toMatchObject({ requestId, delivered: 3 });
    expect(event.messages?.map((message) => message.seq)).toEqual([1, 2]);

    const perUnit = await stats.getStatisticsPerUnit("spring_sale", today, today);
    expect(perUnit.messages.map((message) => message.seq)).toEqual([1]);

    // A day later the earlier day keeps its figures and the new day starts from nothing.
    clock.advance(24 * HOUR);
    expect(await client.getNumberOfSentBroadcastMessages(today)).toEqual({
      status: "ready",
      success: 6,
    });
    expect(await client.getNumberOfSentBroadcastMessages("20260312")).toEqual({
      status: "ready",
      success: 0,
    });
  });

  it("reports followers and blocks from the emulator's users", async () => {
    running = await startEmulatorWithReceiver({
      users: [{ displayName: "Alice" }, { displayName: "Bob" }],
    });
    const { emulator } = running;
    const stats = new insight.InsightClient({
      channelAccessToken: emulator.channelAccessToken,
      baseURL: emulator.url,
    });
    const bob = emulator.state().users[1]?.userId ?? "";
    const sent = emulator.sendEvent({ type: "unfollow", from: bob });
    await emulator.deliveryDone(sent.deliveryId);
    expect(await stats.getNumberOfFollowers()).toEqual({
      status: "ready",
      followers: 2,
      targetedReaches: 1,
      blocks: 1,
    });
    expect(await stats.getFriendsDemographics()).toEqual({ available: false });
  });
});
