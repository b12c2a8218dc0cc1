import { type RedisKeys, recordedKeys } from "@linefleet/store";
import { Redis } from "ioredis";
import { queueIsIdle } from "./queue-state.ts";
import { waitFor } from "./wait-for.ts";

/**
 * Resolves once linefleet under `prefix` has nothing left to do: no job waiting, active, delayed or
 * prioritized in any shard, and no chat with an event still in its lane. This is the terminal
 * signal to wait for before asserting that something did NOT happen (no second message, no push):
 * every send is made by a job, a job is removed only after its sends are done, and a late duplicate
 * or redelivery of an event already handled is refused by its dedupe mark, so it can queue nothing
 * new. Scheduled work not yet due is pending too (move a test clock past it first). The shards are
 * the ones the deployment recorded when it started.
 */
export async function waitForIdle(
  redisUrl: string,
  prefix: string,
  { timeoutMs = 20_000 } = {},
): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await waitFor(
      async () => {
        const keys = await recordedKeys(redis, prefix);
        return (
          (await queueIsIdle(redisUrl, prefix, { shards: keys.layout.count })) &&
          (await laneKeys(redis, keys)) === 0
        );
      },
      {
        timeoutMs,
        intervalMs: 100,
        what: `the queue ${prefix} to be idle (no job pending, every lane empty)`,
      },
    );
  } finally {
    redis.disconnect();
  }
}

/** How many lane keys exist, over every shard (a lane is deleted once its last event is done). */
async function laneKeys(redis: Redis, keys: RedisKeys): Promise<number> {
  let found = 0;
  for (const shard of keys.layout.shards) {
    let cursor = "0";
    do {
      const [next, matched] = await redis.scan(
        cursor,
        "MATCH",
        keys.lanesOfShard(shard),
        "COUNT",
        1000,
      );
      cursor = next;
      found += matched.length;
    } while (cursor !== "0");
  }
  return found;
}
