import { randomUUID } from "node:crypto";
import { createConversationCounter, laneOf, redisKeys } from "@linefleet/store";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedisBotStorage } from "../src/index.ts";

describe("the Redis bot storage's sessions against real Redis", () => {
  let redis: Redis;
  const destination = "Ubot";
  const alice = { type: "user" as const, userId: "Ualice" };
  /** A session in a fresh prefix: its storage, and its key to look at. */
  const key = () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    return {
      store: createRedisBotStorage(redis, keys),
      key: keys.session(laneOf(destination, alice) ?? ""),
    };
  };

  beforeAll(() => {
    redis = new Redis(inject("redisUrl"));
  });
  afterAll(() => redis?.disconnect());

  it("writes when the session is still the version read, and refuses a stale writer", async () => {
    const { store, key: k } = key();
    const load = () => store.loadSession(destination, alice);
    const commit = (version: string, json: string, ttl: number) =>
      store.saveSession(destination, alice, version, json, ttl);
    const empty = await load();
    expect(empty).toEqual({ version: "", json: undefined });
    // Two writers read the same (absent) session; the first to commit wins.
    expect(await commit(empty.version, '{"n":1}', 60)).toBe(true);
    expect(await commit(empty.version, '{"n":2}', 60)).toBe(false);
    const first = await load();
    expect(first.json).toBe('{"n":1}');
    expect(first.version).not.toBe("");
    expect(await commit(first.version, '{"n":3}', 60)).toBe(true);
    expect(await commit(first.version, '{"n":4}', 60)).toBe(false);
    expect((await load()).json).toBe('{"n":3}');
    expect(await redis.ttl(k)).toBeGreaterThan(50);
  });

  it("refuses a writer whose session expired and was written again meanwhile", async () => {
    const { store, key: k } = key();
    const load = () => store.loadSession(destination, alice);
    const commit = (version: string, json: string, ttl: number) =>
      store.saveSession(destination, alice, version, json, ttl);
    await commit("", '{"n":1}', 60);
    const read = await load();
    await redis.del(k); // expired
    await commit("", '{"n":"new"}', 60);
    expect(await commit(read.version, '{"n":2}', 60)).toBe(false);
    expect((await load()).json).toBe('{"n":"new"}');
  });

  it("keeps a chat's conversation beside its session, and the lane in the conversations index", async () => {
    const keys = redisKeys(`t-${randomUUID()}`);
    const store = createRedisBotStorage(redis, keys);
    const countActive = createConversationCounter(redis, keys);
    const load = () => store.loadSession(destination, alice);
    const save = async (json: string, conversation: string | null | undefined) =>
      store.saveSession(destination, alice, (await load()).version, json, 60, conversation);

    expect(await save('{"n":1}', '{"name":"signup"}')).toBe(true);
    expect(await load()).toMatchObject({ json: '{"n":1}', conversation: '{"name":"signup"}' });
    expect(await countActive()).toBe(1);
    // undefined leaves the conversation as stored; "" leaves the session's data.
    expect(await save('{"n":2}', undefined)).toBe(true);
    expect(await save("", '{"name":"signup","waits":2}')).toBe(true);
    expect(await load()).toMatchObject({
      json: '{"n":2}',
      conversation: '{"name":"signup","waits":2}',
    });
    expect(await countActive()).toBe(1);
    // A stale writer changes neither.
    expect(await store.saveSession(destination, alice, "stale", '{"n":9}', 60, null)).toBe(false);
    expect((await load()).conversation).toBe('{"name":"signup","waits":2}');
    // null deletes it, and the lane leaves the index.
    expect(await save('{"n":3}', null)).toBe(true);
    expect(await load()).toMatchObject({ json: '{"n":3}', conversation: undefined });
    expect(await countActive()).toBe(0);
    // An entry whose session has lapsed is not counted.
    expect(await save('{"n":4}', '{"name":"signup"}')).toBe(true);
    expect(await countActive(Date.now() + 61_000)).toBe(0);
  });
});
