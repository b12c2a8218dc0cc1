import { redisKeys } from "@linefleet/store";
import { Redis } from "ioredis";
import { queueIsIdle } from "./queue-state.ts";
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
  try {
    await waitFor(
      async () => (await queueIsIdle(redisUrl, prefix)) && (await laneKeys(redis, prefix)) === 0,
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

async function laneKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let found = 0;
  do {
    // A lane key with "*" for its lane: Redis's glob treats the tag's braces as plain characters.
    const pattern = redisKeys(prefix).lane("*");
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    found += keys.length;
  } while (cursor !== "0");
  return found;
}
