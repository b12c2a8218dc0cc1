import { randomUUID } from "node:crypto";
import type { BotStorage, Profile } from "@linefleet/bot";
import {
  defineScript,
  laneOf,
  PROFILE_TTL_SECONDS,
  type RedisConnection,
  type RedisKeys,
  SESSION_COMMIT,
  SESSION_TTL_SECONDS,
} from "@linefleet/store";
import type { EventSource } from "@linefleet/webhook";

/**
 * A bot's storage in Redis. Sessions are hashes `{ v, data }` (see SESSION_COMMIT) with
 * optimistic concurrency: each write stores a fresh random version, and a write succeeds only if
 * the version is still the one its writer loaded. Random versions (not a counter) keep a session
 * that expired and was written again from ever looking unchanged. A chat's conversation in progress
 * is a field of the same hash (`conv`), written under the same version, and its lane is counted in
 * the conversations index of its shard. Profiles are JSON strings that expire after
 * PROFILE_TTL_SECONDS.
 */
export function createRedisBotStorage(redis: RedisConnection, keys: RedisKeys): BotStorage {
  const commit = defineScript(redis, SESSION_COMMIT);
  const laneOfChat = (destination: string, source: EventSource) => {
    const lane = laneOf(destination, source);
    if (!lane) throw new TypeError("a session belongs to a chat; this source names none");
    return lane;
  };

  return {
    async loadSession(destination, source) {
      const key = keys.session(laneOfChat(destination, source));
      const [version, json, conversation] = await redis.hmget(key, "v", "data", "conv");
      return {
        version: version ?? "",
        json: json ?? undefined,
        conversation: conversation ?? undefined,
      };
    },
    async saveSession(destination, source, version, json, ttlSeconds, conversation) {
      const lane = laneOfChat(destination, source);
      const ttl = ttlSeconds ?? SESSION_TTL_SECONDS;
      const action = conversation === undefined ? "keep" : conversation === null ? "delete" : "set";
      const written = await commit.run(
        keys.session(lane),
        keys.conversationsOfLane(lane),
        version,
        randomUUID(),
        json,
        ttl,
        action,
        conversation ?? "",
        lane,
        Date.now(),
      );
      return written === 1;
    },
    async loadProfile(destination, userId) {
      const cached = await redis.get(keys.profile(destination, userId));
      return cached ? (JSON.parse(cached) as Profile) : undefined;
    },
    async saveProfile(destination, userId, profile) {
      const key = keys.profile(destination, userId);
      await redis.set(key, JSON.stringify(profile), "EX", PROFILE_TTL_SECONDS);
    },
  };
}
