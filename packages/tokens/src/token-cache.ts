import type { RedisConnection } from "@linefleet/store";
import {
  defineScript,
  type RedisKeys,
  TOKEN_INVALIDATE,
  TOKEN_LOCK_RELEASE,
  tokenTtlMs,
} from "@linefleet/store";
import type { IssuedToken } from "./issuer.ts";

/**
 * The shared token of one LINE channel in Redis, and the lock that makes its renewal
 * single-flight. Keyed by the channel's ID at LINE, so every name given to one channel shares it.
 */
export function createTokenCache(redis: RedisConnection, keys: RedisKeys, channelId: string) {
  const tokenKey = keys.token(channelId);
  const lockKey = keys.tokenLock(channelId);
  const release = defineScript(redis, TOKEN_LOCK_RELEASE);
  const invalidate = defineScript(redis, TOKEN_INVALIDATE);
  return {
    async read(): Promise<IssuedToken | undefined> {
      const json = await redis.get(tokenKey);
      return json ? (JSON.parse(json) as IssuedToken) : undefined;
    },
    async write(token: IssuedToken, now: number) {
      await redis.set(tokenKey, JSON.stringify(token), "PX", tokenTtlMs(token.expiresAt, now));
    },
    async invalidate(accessToken: string) {
      await invalidate.run(tokenKey, accessToken);
    },
    async lock(owner: string, ttlMs: number): Promise<boolean> {
      return (await redis.set(lockKey, owner, "PX", ttlMs, "NX")) === "OK";
    },
    async unlock(owner: string) {
      await release.run(lockKey, owner);
    },
  };
}
