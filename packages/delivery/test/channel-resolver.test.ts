import { NonRetriableError } from "@linefleet/bot";
import type { ChannelConfig } from "@linefleet/channels";
import { createLogger } from "@linefleet/log";
import { redisKeys } from "@linefleet/store";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createChannelResolver } from "../src/channel-resolver.ts";

const shopBot = `U${"a".repeat(32)}`;
const supportBot = `U${"b".repeat(32)}`;
const staticChannel = (name: string, botUserId?: string): ChannelConfig => ({
  name,
  channelSecret: `${name}-secret`,
  token: { kind: "static", channelAccessToken: `${name}-token` },
  ...(botUserId ? { botUserId } : {}),
});

describe("the channel resolver", () => {
  // Static tokens and no rate limit: nothing here talks to Redis.
  const redis = new Redis({ lazyConnect: true });
  afterAll(() => redis.disconnect());
  const resolverOf = (channels: ChannelConfig[]) =>
    createChannelResolver(channels, {
      timeoutMs: 10_000,
      rateLimitPerSecond: 0,
      redis,
      keys: redisKeys("t"),
      logger: createLogger({ name: "worker", level: "silent" }),
    }).resolve;

  it("finds an event's channel by the name the ingress recorded, each with its own client", async () => {
    const resolve = resolverOf([staticChannel("shop", shopBot), staticChannel("support")]);
    const shop = await resolve({ channel: "shop", destination: shopBot });
    const support = await resolve({ channel: "support", destination: supportBot });
    expect(shop.channel).toEqual({ name: "shop", botUserId: shopBot });
    // Without a configured bot user id, the event's destination is the channel's bot.
    expect(support.channel).toEqual({ name: "support", botUserId: supportBot });
    expect(support.client).not.toBe(shop.client);
  });

  it("falls back to the destination when an event carries no channel name", async () => {
    const resolve = resolverOf([staticChannel("shop"), staticChannel("support", supportBot)]);
    expect((await resolve({ destination: supportBot })).channel.name).toBe("support");
    await expect(resolve({ destination: shopBot })).rejects.toThrow(NonRetriableError);
    const single = resolverOf([staticChannel("default")]);
    expect((await single({ destination: shopBot })).channel.name).toBe("default");
  });

  it("fails an event for a channel this deployment does not serve, for good", async () => {
    const resolve = resolverOf([staticChannel("shop")]);
    await expect(resolve({ channel: "gone", destination: shopBot })).rejects.toThrow(
      /no channel named "gone"/,
    );
    await expect(resolve({ channel: "gone", destination: shopBot })).rejects.toBeInstanceOf(
      NonRetriableError,
    );
  });
});
