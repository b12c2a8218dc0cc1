import { randomUUID } from "node:crypto";
import { defineScript, type RedisScript } from "@linefleet/queue";
import type { Redis } from "ioredis";

/**
 * KEYS[1] the session hash. ARGV: the version the writer read ("" for none), the new version,
 * the JSON, the TTL in seconds. Writes only if the stored version is still the one read: a
 * session written by someone else meanwhile is never overwritten. Returns 1 written, 0 refused.
 */
const COMMIT_SESSION = `
local current = redis.call("HGET", KEYS[1], "v") or ""
if current ~= ARGV[1] then return 0 end
redis.call("HSET", KEYS[1], "v", ARGV[2], "data", ARGV[3])
redis.call("EXPIRE", KEYS[1], ARGV[4])
return 1
`;

export interface LoadedSession {
  /** "" when the chat has no session. */
  version: string;
  /** The stored JSON, undefined when the chat has none. */
  json: string | undefined;
}

/**
 * Sessions in Redis with optimistic concurrency: each write stores a fresh random version, and a
 * write succeeds only if the version is still the one its writer loaded. Random versions (not a
 * counter) keep a session that expired and was written again from ever looking unchanged.
 */
export class SessionStore {
  readonly #redis: Redis;
  readonly #commit: RedisScript;

  constructor(redis: Redis) {
    this.#redis = redis;
    this.#commit = defineScript(redis, "linefleetCommitSession", COMMIT_SESSION, 1);
  }

  async load(key: string): Promise<LoadedSession> {
    const [version, json] = await this.#redis.hmget(key, "v", "data");
    return { version: version ?? "", json: json ?? undefined };
  }

  /** Writes `json` if the session is still at `readVersion`; false when someone wrote first. */
  async commit(key: string, readVersion: string, json: string, ttlSeconds: number) {
    const written = await this.#commit.run(key, readVersion, randomUUID(), json, ttlSeconds);
    return written === 1;
  }
}
