import { createEmulator, type Emulator } from "@linefleet/emulator";
import {
  makeEnvelope,
  makeTextMessageEvent,
  makeWebhookEventId,
  type Stack,
  scrape,
  signedWebhook,
  startStack,
  waitFor,
  waitForIdle,
  workerMetricsUrl,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeChannelsFile } from "./channels-file.ts";

const REPLY = "/v2/bot/message/reply";
const PUSH = "/v2/bot/message/push";

describe("several channels in one deployment", () => {
  let emulator: Emulator;
  let stack: Stack;

  beforeAll(async () => {
    emulator = createEmulator({
      channelName: "shop",
      channelSecret: "shop-channel-secret",
      channelAccessToken: "shop-access-token",
      channels: [
        {
          name: "support",
          channelSecret: "support-channel-secret",
          channelAccessToken: "support-access-token",
        },
      ],
      redelivery: { enabled: false },
    });
    await emulator.listen();
    const channelsFile = writeChannelsFile([
      // The shop bot's user id is not given: LINE (the emulator) names it, GET /v2/bot/info.
      {
        name: "shop",
        channelSecret: "shop-channel-secret",
        channelAccessToken: "shop-access-token",
      },
      {
        name: "support",
        channelSecret: "support-channel-secret",
        channelAccessToken: "support-access-token",
        botUserId: emulator.channel("support").bot.userId,
      },
    ]);
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: emulator.url,
      workers: 2,
      env: { CHANNELS_FILE: channelsFile },
      ingressEnv: { LINE_API_BASE_URL: emulator.url },
      workerEnv: { BOT_MODULE: "tests/bots/by-channel.ts" },
    });
    emulator.configure({
      webhookUrl: `${stack.ingressUrl}/webhook/shop`,
      channels: { support: { webhookUrl: `${stack.ingressUrl}/webhook/support` } },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await emulator?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${stack.ingressUrl}${path}`, { method: "POST", body, headers });

  it("answers each channel's events with that channel's own token", async () => {
    const alice = emulator.state().users[0]?.userId ?? "";
    emulator.sendEvent({ type: "text", text: "to the shop", channel: "shop" });
    emulator.sendEvent({ type: "text", text: "to support", channel: "support" });
    await emulator.waitForBotMessages(alice, { count: 2, timeoutMs: 15_000 });
    const replies = await waitFor(() => {
      const found = emulator.apiCalls().filter((call) => call.path === REPLY);
      return found.length >= 2 && found;
    });

    const deliveries = emulator.deliveries();
    expect(deliveries.map((d) => [d.channel, d.status]).sort()).toEqual([
      ["shop", 200],
      ["support", 200],
    ]);
    const byChannel = Object.fromEntries(
      replies.map((call) => [
        call.channel,
        (call.body as { messages: Array<{ text: string }> }).messages[0]?.text,
      ]),
    );
    // The emulator tells channels apart by the bearer token each reply carried.
    // The bot routed by ctx.channel, and each answer went with its channel's token.
    expect(byChannel).toEqual({ shop: "shop: to the shop", support: "support: to support" });
    expect(replies.every((call) => call.status === 200)).toBe(true);

    // Metrics carry each event's own channel, at the ingress and at whichever worker ran it.
    const ingress = await scrape(`${stack.ingressUrl}/metrics`);
    for (const channel of ["shop", "support"]) {
      expect(ingress.value("linefleet_webhooks_total", { channel, outcome: "accepted" })).toBe(1);
      expect(ingress.value("linefleet_webhook_events_total", { channel, result: "enqueued" })).toBe(
        1,
      );
    }
    const workerUrls = await Promise.all(stack.workers.map(workerMetricsUrl));
    const fleet = async (name: string, labels: Record<string, string>) => {
      const scrapes = await Promise.all(workerUrls.map((url) => scrape(`${url}/metrics`)));
      return scrapes.reduce((sum, one) => sum + one.value(name, labels), 0);
    };
    // A job is counted once it completes, just after its reply went out.
    for (const channel of ["shop", "support"]) {
      await waitFor(
        async () =>
          (await fleet("linefleet_events_processed_total", {
            channel,
            type: "message",
            outcome: "ok",
          })) === 1,
      );
      expect(
        await fleet("linefleet_sends_total", { channel, method: "reply", outcome: "delivered" }),
      ).toBe(1);
    }
    expect(
      await fleet("linefleet_events_processed_total", {
        channel: "default",
        type: "message",
        outcome: "ok",
      }),
    ).toBe(0);
  });

  it("answers two channels' events that share a webhookEventId, each once", async () => {
    // webhookEventIds are LINE's per channel: nothing promises two channels never share one.
    const alice = emulator.state().users[0]?.userId ?? "";
    const webhookEventId = makeWebhookEventId();
    const before = emulator.messages(alice).filter((m) => m.from === "bot").length;
    for (const channel of ["shop", "support"]) {
      // No reply token: the answer goes by push, with the channel's token and a retry key.
      const event = makeTextMessageEvent("same id", {
        webhookEventId,
        replyToken: undefined,
        source: { type: "user", userId: alice },
      });
      const envelope = makeEnvelope([event], emulator.channel(channel).bot.userId);
      const signed = signedWebhook(envelope, `${channel}-channel-secret`);
      expect((await post(`/webhook/${channel}`, signed.body, signed.headers)).status).toBe(200);
    }
    await emulator.waitForBotMessages(alice, { count: before + 2, timeoutMs: 15_000 });
    await waitForIdle(inject("redisUrl"), stack.prefix);

    const pushes = emulator
      .apiCalls()
      .filter((call) => call.path === PUSH && call.status === 200)
      .map((call) => [
        call.channel,
        (call.body as { messages: Array<{ text: string }> }).messages[0]?.text,
      ]);
    expect(pushes.sort()).toEqual([
      ["shop", "shop: same id"],
      ["support", "support: same id"],
    ]);
    const texts = emulator
      .messages(alice)
      .filter((m) => m.from === "bot")
      .slice(before)
      .map((m) => m.message.text)
      .sort();
    expect(texts).toEqual(["shop: same id", "support: same id"]);
  });

  it("refuses a request signed with another channel's secret (401)", async () => {
    const envelope = makeEnvelope(
      [makeTextMessageEvent("hi")],
      emulator.channel("support").bot.userId,
    );
    const signedForShop = signedWebhook(envelope, "shop-channel-secret");
    const response = await post("/webhook/support", signedForShop.body, signedForShop.headers);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_signature" });
    // The same bytes signed with support's own secret are accepted.
    const signed = signedWebhook(envelope, "support-channel-secret");
    expect((await post("/webhook/support", signed.body, signed.headers)).status).toBe(200);
    // With no channel named "default", plain /webhook serves no channel: nothing verifies there.
    expect((await post("/webhook", signed.body, signed.headers)).status).toBe(401);
  });

  it("answers a bad signature the same at a known and an unknown channel's path", async () => {
    const envelope = makeEnvelope(
      [makeTextMessageEvent("hi")],
      emulator.channel("shop").bot.userId,
    );
    const forged = signedWebhook(envelope, "not-any-channel-secret");
    const answers = await Promise.all(
      ["/webhook/shop", "/webhook/no-such-channel", "/webhook"].map(async (path) => {
        const response = await post(path, forged.body, forged.headers);
        return { status: response.status, body: await response.text() };
      }),
    );
    expect(answers[0]?.status).toBe(401);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    // Counted, under a label no channel name can take; the probed names are not labels.
    const ingress = await scrape(`${stack.ingressUrl}/metrics`);
    expect(
      ingress.value("linefleet_webhooks_total", {
        channel: "(unknown)",
        outcome: "invalid_signature",
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(await (await fetch(`${stack.ingressUrl}/metrics`)).text()).not.toContain(
      "no-such-channel",
    );
  });

  it("refuses a signed body addressed to another bot (403), from the file's botUserId or LINE's", async () => {
    const shopBot = emulator.channel("shop").bot.userId;
    const supportBot = emulator.channel("support").bot.userId;
    // support's bot user id is in the file.
    const misaddressed = signedWebhook(makeEnvelope([], shopBot), "support-channel-secret");
    const refused = await post("/webhook/support", misaddressed.body, misaddressed.headers);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "wrong_destination" });

    // shop's is the one LINE named for its token.
    const toShop = signedWebhook(makeEnvelope([], supportBot), "shop-channel-secret");
    expect((await post("/webhook/shop", toShop.body, toShop.headers)).status).toBe(403);
    const rightly = signedWebhook(makeEnvelope([], shopBot), "shop-channel-secret");
    expect((await post("/webhook/shop", rightly.body, rightly.headers)).status).toBe(200);
  });
});
