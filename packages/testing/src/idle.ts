import { Redis } from "ioredis";
import { waitFor } from "./wait-for.ts";

/**
 * Resolves once linefleet under `prefix` has nothing left to do: no job waiting, active, delayed or
 * prioritized, and no chat with an event still in its lane. This is the terminal signal to wait for
 * before asserting that something did NOT happen (no second message, no push): every send is made
 * by a job, a job is removed only after its sends are done, and a late duplicate or redelivery of
 * an event already handled is refused by its dedupe mark, so it can queue nothing new.
 */
export async function waitForIdle(
  redisUrl: string,
  prefix: string,
  { timeoutMs = 20_000 } = {},
): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  // BullMQ's keys of the event queue (EVENTS_QUEUE_NAME in @linefleet/queue's Redis model).
  const queue = `${prefix}:line-events`;
  try {
    await waitFor(
      async () => {
        const [wait, active, paused, delayed, prioritized] = await Promise.all([
          redis.llen(`${queue}:wait`),
          redis.llen(`${queue}:active`),
          redis.llen(`${queue}:paused`),
          redis.zcard(`${queue}:delayed`),
          redis.zcard(`${queue}:prioritized`),
        ]);
        if (wait + active + paused + delayed + prioritized > 0) return false;
        return (await laneKeys(redis, prefix)) === 0;
      },
      { timeoutMs, what: `the queue ${prefix} to be idle (no job pending, every lane empty)` },
    );
  } finally {
    redis.disconnect();
  }
}

async function laneKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let found = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:lane:*`, "COUNT", 1000);
    cursor = next;
    found += keys.length;
  } while (cursor !== "0");
  return found;
}
