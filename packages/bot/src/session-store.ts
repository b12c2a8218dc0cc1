import { randomUUID } from "node:crypto";
import type { RedisConnection } from "@linefleet/store";
import { defineScript, type RedisScript, SESSION_COMMIT } from "@linefleet/store";

export interface LoadedSession {
  /** "" when the chat has no session. */
  version: string;
  /** The stored JSON, undefined when the chat has none. */
  json: string | undefined;
}

/**
 * Sessions in Redis (a hash `{ v, data }`, see SESSION_COMMIT) with optimistic concurrency: each write stores a fresh random version, and a
 * write succeeds only if the version is still the one its writer loaded. Random versions (not a
 * counter) keep a session that expired and was written again from ever looking unchanged.
 */
export class SessionStore {
  readonly #redis: RedisConnection;
  readonly #commit: RedisScript;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
    this.#commit = defineScript(redis, SESSION_COMMIT);
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
