import type { RedisConnection } from "./connection.ts";
import { READ_QUEUE_DEPTH, type RedisKeys } from "./redis-model/keys.ts";
import { defineScript } from "./scripts.ts";

/** The BullMQ states a scrape reports; `failed` holds the dead letters. */
export const queueStates = ["waiting", "active", "delayed", "prioritized", "failed"] as const;
export type QueueState = (typeof queueStates)[number];

export interface QueueDepth {
  /** Jobs per state, summed over every shard. */
  jobs: Record<QueueState, number>;
  /** When the oldest job still waiting in any shard was queued (epoch ms); undefined when none waits. */
  oldestWaitingSince: number | undefined;
}

/**
 * Reads the events queue's size per state, over every shard of the layout, and the age of its
 * oldest waiting job: per shard one script (its five keys share the shard's slot, so it runs on a
 * Redis Cluster too) and one lookup of that shard's oldest job, all shards at once. Counts are
 * O(1), cheap enough for every scrape. Never on the hot path.
 */
export function createQueueDepthReader(redis: RedisConnection, keys: RedisKeys) {
  const script = defineScript(redis, READ_QUEUE_DEPTH);
  async function readShard(shard: number) {
    const key = (name: string) => keys.queueKey(shard, name);
    const reply = (await script.run(
      key("wait"),
      key("active"),
      key("delayed"),
      key("prioritized"),
      key("failed"),
    )) as Array<number | string | null>;
    const [waiting, active, delayed, prioritized, failed, oldestId] = reply;
    const queuedAt =
      typeof oldestId === "string" ? await redis.hget(key(oldestId), "timestamp") : null;
    return {
      jobs: [waiting, active, delayed, prioritized, failed].map(Number),
      queuedAt: queuedAt === null ? undefined : Number(queuedAt),
    };
  }
  return async function readQueueDepth(): Promise<QueueDepth> {
    const shards = await Promise.all(keys.layout.shards.map(readShard));
    const sum = (state: number) =>
      shards.reduce((total, shard) => total + (shard.jobs[state] ?? 0), 0);
    const queuedAts = shards.flatMap((shard) =>
      shard.queuedAt === undefined ? [] : [shard.queuedAt],
    );
    return {
      // The script answers in the order of queueStates.
      jobs: Object.fromEntries(
        queueStates.map((state, i) => [state, sum(i)]),
      ) as QueueDepth["jobs"],
      oldestWaitingSince: queuedAts.length === 0 ? undefined : Math.min(...queuedAts),
    };
  };
}
