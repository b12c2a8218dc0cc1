import { defineScript } from "@linefleet/queue";
import type { Redis } from "ioredis";
import type { IssuedToken } from "./issuer.ts";

/** Redis keys of one channel's token and its renewal lock. */
export const tokenKeys = (prefix: string, channel: string) => ({
  token: `${prefix}:token:${channel}`,
  lock: `${prefix}:token-lock:${channel}`,
});

/** Deletes the lock only if this process still holds it (it may have expired and moved on). */
const RELEASE = `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`;

/** Deletes the cached token only if it is the one LINE refused: a newer one is left alone. */
const INVALIDATE = `
local cached = redis.call("GET", KEYS[1])
if cached and cjson.decode(cached).accessToken == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`;

/** The shared token of one channel in Redis, and the lock that makes its renewal single-flight. */
export function createTokenCache(redis: Redis, prefix: string, channel: string) {
  const keys = tokenKeys(prefix, channel);
  const release = defineScript(redis, "linefleetTokenLockRelease", RELEASE, 1);
  const invalidate = defineScript(redis, "linefleetTokenInvalidate", INVALIDATE, 1);
  return {
    async read(): Promise<IssuedToken | undefined> {
      const json = await redis.get(keys.token);
      return json ? (JSON.parse(json) as IssuedToken) : undefined;
    },
    async write(token: IssuedToken, now: number) {
      const ttl = Math.max(1, token.expiresAt - now);
      await redis.set(keys.token, JSON.stringify(token), "PX", ttl);
    },
    async invalidate(accessToken: string) {
      await invalidate.run(keys.token, accessToken);
    },
    async lock(owner: string, ttlMs: number): Promise<boolean> {
      return (await redis.set(keys.lock, owner, "PX", ttlMs, "NX")) === "OK";
    },
    async unlock(owner: string) {
      await release.run(keys.lock, owner);
    },
  };
}
