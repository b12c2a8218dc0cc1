import type { RedisConnection } from "./connection.ts";
import type { RedisKeys } from "./redis-model/keys.ts";

/**
 * Whether the ingress accepted an event, as its dedupe mark tells (on any shard: a reader does not
 * know the event's lane, which picks the shard). `timestamp` is the event's, as LINE sent it: the
 * mark is kept by its second. A mark lasts the whole dedupe window, beyond the event's job.
 */
export async function hasDedupeMark(
  redis: RedisConnection,
  keys: RedisKeys,
  eventKey: string,
  timestamp: unknown,
): Promise<boolean> {
  const found = await Promise.all(
    keys.layout.shards.map((shard) => {
      const { key, field } = keys.dedupeMark(shard, eventKey, timestamp);
      return redis.hexists(key, field);
    }),
  );
  return found.some((exists) => exists === 1);
}
