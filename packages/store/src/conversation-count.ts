import type { RedisConnection } from "./connection.ts";
import type { RedisKeys } from "./redis-model/keys.ts";

/**
 * Counts the chats with a conversation in progress: the entries of every shard's conversations
 * index whose session has not lapsed (SESSION_COMMIT keeps the index). One ZCOUNT per shard, at
 * scrape time only.
 */
export function createConversationCounter(redis: RedisConnection, keys: RedisKeys) {
  return async function countActiveConversations(now = Date.now()): Promise<number> {
    const counts = await Promise.all(
      keys.layout.shards.map((shard) =>
        redis.zcount(keys.conversationsOfShard(shard), `(${now}`, "+inf"),
      ),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  };
}
