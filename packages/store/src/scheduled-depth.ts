import type { RedisConnection } from "./connection.ts";
import type { RedisKeys } from "./redis-model/keys.ts";

/**
 * Reads how many scheduled items wait to start, fleet-wide, and how many of them are more than
 * `lateMs` past due: two O(log n) counts per shard's due set (one set when untagged), every
 * shard at once. For the metrics, at scrape time; never on the hot path.
 */
export function createScheduledDepthReader(redis: RedisConnection, keys: RedisKeys) {
  const dueKeys = [...new Set(keys.layout.shards.map((shard) => keys.scheduledDue(shard)))];
  return async (lateMs: number, now = Date.now()) => {
    const counts = await Promise.all(
      dueKeys.map(async (key) => {
        const [pending, overdue] = await Promise.all([
          redis.zcard(key),
          redis.zcount(key, "-inf", now - lateMs),
        ]);
        return { pending, overdue };
      }),
    );
    return counts.reduce(
      (sum, count) => ({
        pending: sum.pending + count.pending,
        overdue: sum.overdue + count.overdue,
      }),
      { pending: 0, overdue: 0 },
    );
  };
}
