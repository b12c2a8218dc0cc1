import { lineEventsQueue } from "./catalog.ts";
import type { RedisConnection } from "./connection.ts";
import { queueKey, READ_QUEUE_DEPTH } from "./redis-model/keys.ts";
import { defineScript } from "./scripts.ts";

/** The BullMQ states a scrape reports; `failed` holds the dead letters. */
export const queueStates = ["waiting", "active", "delayed", "prioritized", "failed"] as const;
export type QueueState = (typeof queueStates)[number];

export interface QueueDepth {
  jobs: Record<QueueState, number>;
  /** When the oldest job still in the wait list was queued (epoch ms); undefined when it is empty. */
  oldestWaitingSince: number | undefined;
}

/**
 * Reads the events queue's size per state and the age of its oldest waiting job in at most two
 * round trips (one script, then the oldest job's enqueue time), cheap enough for every scrape: counts
 * are O(1), the oldest job one lookup. Never on the hot path.
 */
export function createQueueDepthReader(redis: RedisConnection, prefix: string) {
  const script = defineScript(redis, READ_QUEUE_DEPTH);
  const key = (name: string) => queueKey(prefix, lineEventsQueue.name, name);
  return async function readQueueDepth(): Promise<QueueDepth> {
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
      jobs: {
        waiting: Number(waiting),
        active: Number(active),
        delayed: Number(delayed),
        prioritized: Number(prioritized),
        failed: Number(failed),
      },
      oldestWaitingSince: queuedAt === null ? undefined : Number(queuedAt),
    };
  };
}
