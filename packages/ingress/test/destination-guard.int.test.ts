import { randomUUID } from "node:crypto";
import type { RedisConnection } from "@linefleet/store";
import { createProducerConnection, redisKeys } from "@linefleet/store";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createDestinationGuard } from "../src/index.ts";

const botA = `U${"a".repeat(32)}`;
const botB = `U${"b".repeat(32)}`;

describe("the destination guard", () => {
  const connections: RedisConnection[] = [];
  afterEach(() => {
    for (const connection of connections.splice(0)) connection.disconnect();
  });
  /** A fresh ingress connection, used at once: it is still connecting. */
  const connect = () => {
    const redis = createProducerConnection(inject("redisUrl"));
    connections.push(redis);
    return redis;
  };

  it("learns the bot from the first request, even one arriving while Redis still connects", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const first = createDestinationGuard({ redis: connect(), keys, channel: "shop" });
    expect(await first.check(botA)).toBe(true);
    expect(await first.check(botB)).toBe(false);
    // Another ingress process agrees, from Redis.
    const other = createDestinationGuard({ redis: connect(), keys, channel: "shop" });
    expect(await other.check(botB)).toBe(false);
    expect(await other.check(botA)).toBe(true);
    // Each channel learns its own bot.
    const support = createDestinationGuard({ redis: connect(), keys, channel: "support" });
    expect(await support.check(botB)).toBe(true);
  });

  it("trusts the configured bot user id over anything learned", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const guard = createDestinationGuard({
      redis: connect(),
      keys,
      channel: "shop",
      botUserId: botB,
    });
    expect(await guard.check(botA)).toBe(false);
    expect(await guard.check(botB)).toBe(true);
  });
});
