import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SessionStore } from "../src/index.ts";

describe("SessionStore against real Redis", () => {
  let redis: Redis;
  let store: SessionStore;
  const key = () => `t-${randomUUID()}:session:{Ubot:Ualice}`;

  beforeAll(() => {
    redis = new Redis(inject("redisUrl"));
    store = new SessionStore(redis);
  });
  afterAll(() => redis?.disconnect());

  it("writes when the session is still the version read, and refuses a stale writer", async () => {
    const k = key();
    const empty = await store.load(k);
    expect(empty).toEqual({ version: "", json: undefined });
    // Two writers read the same (absent) session; the first to commit wins.
    expect(await store.commit(k, empty.version, '{"n":1}', 60)).toBe(true);
    expect(await store.commit(k, empty.version, '{"n":2}', 60)).toBe(false);
    const first = await store.load(k);
    expect(first.json).toBe('{"n":1}');
    expect(first.version).not.toBe("");
    expect(await store.commit(k, first.version, '{"n":3}', 60)).toBe(true);
    expect(await store.commit(k, first.version, '{"n":4}', 60)).toBe(false);
    expect((await store.load(k)).json).toBe('{"n":3}');
    expect(await redis.ttl(k)).toBeGreaterThan(50);
  });

  it("refuses a writer whose session expired and was written again meanwhile", async () => {
    const k = key();
    await store.commit(k, "", '{"n":1}', 60);
    const read = await store.load(k);
    await redis.del(k); // expired
    await store.commit(k, "", '{"n":"new"}', 60);
    expect(await store.commit(k, read.version, '{"n":2}', 60)).toBe(false);
    expect((await store.load(k)).json).toBe('{"n":"new"}');
  });
});
