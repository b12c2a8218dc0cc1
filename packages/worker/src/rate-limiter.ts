import { defineScript } from "@linefleet/queue";
import type { Redis } from "ioredis";

/**
 * A rate limit shared by every worker process: a generic cell rate algorithm (GCRA) in one Lua
 * script, timed by Redis's own clock so the workers' clocks need not agree.
 * ARGV: the interval between permits (ms), the burst tolerance (ms), how many permits to take.
 * Returns 0 when they are granted, else how many ms to wait before asking again.
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
local next = tat + interval * tonumber(ARGV[3])
redis.call("SET", KEYS[1], next, "PX", math.ceil(next - now + burst) + 1)
return 0
`;

export interface RateLimiter {
  /** Resolves when one more request fits under the limit. */
  acquire(): Promise<void>;
}

export interface RateLimitOptions {
  perSecond: number;
  /** Requests that may go back to back before the pace applies. */
  burst?: number;
  /**
   * Permits a process takes per Redis call, spent within the time they stand for. At high rates
   * this saves most of the round trips; unused permits lapse, so the fleet never exceeds the rate.
   */
  lease?: number;
}

export function createRedisRateLimiter(
  redis: Redis,
  key: string,
  {
    perSecond,
    burst = Math.max(1, Math.ceil(perSecond / 10)),
    lease = Math.max(1, Math.floor(perSecond / 100)),
  }: RateLimitOptions,
): RateLimiter {
  const intervalMs = 1000 / perSecond;
  const toleranceMs = intervalMs * (burst - 1);
  const script = defineScript(redis, "linefleetRateAcquire", ACQUIRE, 1);
  let permits = 0;
  let validUntil = 0;
  let refill: Promise<void> | undefined;

  async function take() {
    for (;;) {
      const waitMs = Number(await script.run(key, intervalMs, toleranceMs, lease));
      if (waitMs <= 0) {
        permits = lease;
        validUntil = Date.now() + lease * intervalMs;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  return {
    async acquire() {
      for (;;) {
        if (permits > 0 && Date.now() < validUntil) {
          permits--;
          return;
        }
        // One refill at a time per process; concurrent callers share it.
        refill ??= take().finally(() => {
          refill = undefined;
        });
        await refill;
      }
    },
  };
}
