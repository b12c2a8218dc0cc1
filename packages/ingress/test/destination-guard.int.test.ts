import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { RedisConnection } from "@linefleet/store";
import { createProducerConnection, redisKeys } from "@linefleet/store";
import { afterEach, describe, expect, inject, it } from "vitest";
import { BotInfoError, createDestinationGuard } from "../src/index.ts";

const botA = `U${"a".repeat(32)}`;
const botB = `U${"b".repeat(32)}`;

/**
 * What LINE answers to GET /v2/bot/info, as the test sets it, and how often it was asked. (The
 * real call, lookUpBotUserId, is run against the emulator in tests/bot-user-id.int.test.ts.)
 */
function line(answer: string | Error) {
  const state = { answer, calls: 0 };
  return {
    state,
    lookUp: async () => {
      state.calls++;
      if (state.answer instanceof Error) throw state.answer;
      return state.answer;
    },
  };
}

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

  it("asks LINE for the bot, even on a request arriving while Redis still connects, and shares the answer", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const lineA = line(botA);
    const first = createDestinationGuard({ redis: connect(), keys, channel: "shop", ...lineA });
    expect(await first.check(botA)).toBe(true);
    expect(await first.check(botB)).toBe(false);
    expect(lineA.state.calls).toBe(1);
    // Another ingress process finds LINE's answer in Redis, even while LINE is away.
    const away = line(new BotInfoError("unreachable"));
    const other = createDestinationGuard({ redis: connect(), keys, channel: "shop", ...away });
    expect(await other.check(botA)).toBe(true);
    expect(away.state.calls).toBe(0);
    // Each channel has its own bot.
    const support = createDestinationGuard({
      redis: connect(),
      keys,
      channel: "support",
      ...line(botB),
    });
    expect(await support.check(botB)).toBe(true);
    expect(await support.check(botA)).toBe(false);
  });

  it("corrects a wrong stored ID when a verified request names another bot and LINE agrees", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const redis = connect();
    await once(redis, "ready");
    // As an earlier version learned it from a request: never confirmed, and wrong.
    await redis.set(keys.botUserId("shop"), botB);
    const confirmed: Array<[string, string | undefined]> = [];
    const guard = createDestinationGuard({
      redis,
      keys,
      channel: "shop",
      ...line(botA),
      onConfirmed: (id, replaced) => confirmed.push([id, replaced]),
    });
    expect(await guard.check(botA)).toBe(true);
    expect(confirmed).toEqual([[botA, botB]]);
    expect(await redis.get(keys.botUserId("shop"))).toBe(botA);
    expect(await guard.check(botB)).toBe(false);
  });

  it("lets verified requests through unconfirmed, storing nothing, while LINE cannot tell", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const redis = connect();
    let clock = 1_000_000;
    const lineAway = line(new BotInfoError("unreachable"));
    const guard = createDestinationGuard({
      redis,
      keys,
      channel: "shop",
      ...lineAway,
      now: () => clock,
    });
    expect(await guard.check(botA)).toBe(true);
    expect(await guard.check(botB)).toBe(true);
    expect(await redis.get(keys.botUserId("shop"))).toBeNull();
    // LINE is not asked again at once (at most once per 5 s, doubling)...
    expect(lineAway.state.calls).toBe(1);
    // ... and once it answers, its word holds.
    clock += 5_001;
    lineAway.state.answer = botA;
    expect(await guard.check(botB)).toBe(false);
    expect(await guard.check(botA)).toBe(true);
    expect(await redis.get(keys.botUserId("shop"))).toBe(botA);
  });

  it("answers 'cannot tell' (a 503) when a stored ID disagrees and LINE cannot settle it", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const redis = connect();
    await once(redis, "ready");
    await redis.set(keys.botUserId("shop"), botB);
    const guard = createDestinationGuard({
      redis,
      keys,
      channel: "shop",
      ...line(new BotInfoError("unreachable")),
    });
    await expect(guard.check(botA)).rejects.toThrow("unreachable");
    expect(await guard.check(botB)).toBe(true);
  });

  it("trusts the configured bot user id and never asks LINE", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const lineB = line(botA);
    const guard = createDestinationGuard({
      redis: connect(),
      keys,
      channel: "shop",
      botUserId: botB,
      ...lineB,
    });
    guard.warm();
    expect(await guard.check(botA)).toBe(false);
    expect(await guard.check(botB)).toBe(true);
    expect(lineB.state.calls).toBe(0);
  });
});
