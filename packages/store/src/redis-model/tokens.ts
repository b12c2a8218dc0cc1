import type { ScriptSpec } from "./script.ts";

/**
 * Channel access tokens issued by LINE (stateless, short-lived or v2.1), cached per LINE channel
 * so the whole fleet shares one: a string holding the token as JSON (`accessToken`, `issuedAt`,
 * `expiresAt` epoch ms, `keyId?`), next to a lock that makes its renewal single-flight.
 *
 * The cached token lapses exactly when LINE's does: processes renew it well before (once less
 * than a fifth of its lifetime is left), and one that finds it still valid keeps using it while
 * another renews.
 */
export const tokenTtlMs = (expiresAt: number, now: number) => Math.max(1, expiresAt - now);

/**
 * KEYS[1] the token's renewal lock. ARGV: the owner that took it. Deletes the lock only if this
 * owner still holds it (it may have expired and been taken by another process meanwhile).
 */
export const TOKEN_LOCK_RELEASE: ScriptSpec = {
  name: "linefleetTokenLockRelease",
  keys: 1,
  lua: `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`,
};

/**
 * KEYS[1] the cached token. ARGV: the access token LINE refused. Deletes the cached token only if
 * it is that one: a newer token another process stored meanwhile is left alone.
 */
export const TOKEN_INVALIDATE: ScriptSpec = {
  name: "linefleetTokenInvalidate",
  keys: 1,
  lua: `
local cached = redis.call("GET", KEYS[1])
if cached and cjson.decode(cached).accessToken == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`,
};
