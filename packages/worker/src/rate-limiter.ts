import { defineScript } from "@linefleet/queue";
import type { Redis } from "ioredis";

/**
 * A rate limit shared by every worker process: a generic cell rate algorithm (GCRA) in one Lua
 * script, timed by Redis's own clock so the workers' clocks need not agree.
 * Returns 0 when a request may go now, else how many ms to wait before asking again.
 */
const ACQUIRE = `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call("GET", KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - burst - now
if wait > 0 then return math.ceil(wait) end
redis.call("SET", KEYS[1], tat + interval, "PX", math.ceil(tat + interval - now + burst) + 1)
return 0
`;

export interface RateLimiter {
  /** Resolves when one more request fits under the limit. */
  acquire(): Promise<void>;
}

export function createRedisRateLimiter(
  redis: Redis,
  key: string,
  {
    perSecond,
    burst = Math.max(1, Math.ceil(perSecond / 10)),
  }: { perSecond: number; burst?: number },
): RateLimiter {
  const intervalMs = 1000 / perSecond;
  // Up to `burst` requests may go back to back before the pace applies.
  const toleranceMs = intervalMs * (burst - 1);
  const acquire = defineScript(redis, "linefleetRateAcquire", ACQUIRE, 1);
  return {
    async acquire() {
      for (;;) {
        const waitMs = Number(await acquire.run(key, intervalMs, toleranceMs));
        if (waitMs <= 0) return;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    },
  };
}
