import { randomUUID } from "node:crypto";
import { createEmulator, type Emulator } from "@linefleet/emulator";
import { redisKeys } from "@linefleet/store";
import { type Stack, startStack } from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeChannelsFile } from "./channels-file.ts";

const WRONG = `U${"0".repeat(32)}`;

describe("a channel's bot user ID, stored wrong", () => {
  let emulator: Emulator;
  let stack: Stack;
  let redis: Redis;
  const prefix = `t-${randomUUID()}`;
  const key = redisKeys(prefix).botUserId("shop");

  beforeAll(async () => {
    emulator = createEmulator({
      channelName: "shop",
      channelSecret: "shop-channel-secret",
      channelAccessToken: "shop-access-token",
      redelivery: { enabled: false },
    });
    await emulator.listen();
    redis = new Redis(inject("redisUrl"));
    // What an earlier version kept after learning it from one request: never confirmed, wrong.
    await redis.set(key, WRONG);
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: emulator.url,
      prefix,
      env: {
        CHANNELS_FILE: writeChannelsFile([
          {
            name: "shop",
            channelSecret: "shop-channel-secret",
            channelAccessToken: "shop-access-token",
          },
        ]),
      },
      ingressEnv: { LINE_API_BASE_URL: emulator.url },
    });
    emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook/shop` });
  });
  afterAll(async () => {
    await stack?.stop();
    await emulator?.close();
    redis?.disconnect();
  });

  it("is corrected from LINE's GET /v2/bot/info, and genuine webhooks are answered", async () => {
    const bot = emulator.channel("shop").bot.userId;
    const alice = emulator.state().users[0]?.userId ?? "";
    const { deliveryId } = emulator.sendEvent({ type: "text", text: "hello", channel: "shop" });
    await emulator.deliveryDone(deliveryId);
    expect(emulator.deliveries().map((delivery) => delivery.status)).toEqual([200]);
    await emulator.waitForBotMessages(alice, { count: 1, timeoutMs: 15_000 });

    // LINE was asked with the channel's own token, and its answer replaced the wrong one.
    const asked = emulator.apiCalls().filter((call) => call.path === "/v2/bot/info");
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked.every((call) => call.channel === "shop" && call.status === 200)).toBe(true);
    expect(await redis.get(key)).toBe(bot);
    const corrected = await stack.ingress.waitForLine(
      (line) => typeof line === "object" && line.msg === "bot user ID confirmed by LINE",
    );
    expect(corrected).toMatchObject({ channel: "shop", botUserId: bot });
  });
});
