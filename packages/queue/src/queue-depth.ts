import type { Redis } from "ioredis";
import { lineEventsQueue } from "./catalog.ts";
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
 * KEYS: the queue's wait, active, delayed, prioritized and failed keys. ARGV[1] the job key prefix.
 * BullMQ pushes new jobs on the left of `wait` and takes them from the right, so the oldest is last.
 */
const READ_DEPTH = `
local oldest = redis.call("LINDEX", KEYS[1], -1)
local queuedAt = false
if oldest then queuedAt = redis.call("HGET", ARGV[1] .. oldest, "timestamp") end
return {
  redis.call("LLEN", KEYS[1]), redis.call("LLEN", KEYS[2]), redis.call("ZCARD", KEYS[3]),
  redis.call("ZCARD", KEYS[4]), redis.call("ZCARD", KEYS[5]), queuedAt
}
`;

/**
 * Reads the events queue's size per state and the age of its oldest waiting job in one round
 * trip (one script), cheap enough for every scrape: counts are O(1), the oldest job one lookup.
 */
export function createQueueDepthReader(redis: Redis, prefix: string) {
  const script = defineScript(redis, "linefleetReadQueueDepth", READ_DEPTH, 5);
  const key = (name: string) => `${prefix}:${lineEventsQueue.name}:${name}`;
  return async function readQueueDepth(): Promise<QueueDepth> {
    const reply = (await script.run(
      key("wait"),
      key("active"),
      key("delayed"),
      key("prioritized"),
      key("failed"),
      key(""),
    )) as Array<number | string | null>;
    const [waiting, active, delayed, prioritized, failed, queuedAt] = reply;
    return {
      jobs: {
        waiting: Number(waiting),
        active: Number(active),
        delayed: Number(delayed),
        prioritized: Number(prioritized),
        failed: Number(failed),
      },
      oldestWaitingSince:
        queuedAt === null || queuedAt === undefined ? undefined : Number(queuedAt),
    };
  };
}
