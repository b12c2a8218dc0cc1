import type { RedisConnection } from "@linefleet/store";
import { defineScript, RATE_ACQUIRE } from "@linefleet/store";

/** A rate limit the whole fleet shares, taken from in leases. */
export interface FleetRateLimit {
  /** Resolves when one more request fits under the limit. */
  acquire(): Promise<void>;
  /**
   * Starts taking a lease now unless one is held or coming, so a send soon after finds a permit
   * waiting: called as an event starts, the call shares the round trip of the event's first script.
   */
  prefetch(): void;
  /**
   * Takes a permit if one fits now and resolves with 0; else takes nothing and resolves with how
   * long to wait (ms). For callers that would rather put their work aside than hold a slot for a
   * long wait (a campaign's broadcast under a 60/hour limit).
   */
  tryAcquire(): Promise<number>;
}

interface RateLimitOptions {
  perSecond: number;
  /** Requests that may go back to back before the pace applies. */
  burst?: number;
  /**
   * Permits a process takes per Redis call, spent within the time they stand for. At high rates
   * this saves most of the round trips; unused permits lapse, so the fleet never exceeds the rate.
   */
  lease?: number;
}

/**
 * A rate limit shared by every worker process, in Redis (the GCRA script of @linefleet/store's
 * data model); `key` is the limit's key, from `redisKeys(prefix).rateLimit(name)`.
 */
export function createFleetRateLimit(
  redis: RedisConnection,
  key: string,
  {
    perSecond,
    burst = Math.max(1, Math.ceil(perSecond / 10)),
    lease = Math.max(1, Math.floor(perSecond / 100)),
  }: RateLimitOptions,
): FleetRateLimit {
  const intervalMs = 1000 / perSecond;
  const toleranceMs = intervalMs * (burst - 1);
  const script = defineScript(redis, RATE_ACQUIRE);
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

  const holding = () => permits > 0 && Date.now() < validUntil;
  // One refill at a time per process; concurrent callers share it.
  const refilling = () => {
    refill ??= take().finally(() => {
      refill = undefined;
    });
    return refill;
  };

  return {
    async acquire() {
      for (;;) {
        if (holding()) {
          permits--;
          return;
        }
        await refilling();
      }
    },
    prefetch() {
      if (!holding()) refilling().catch(() => {});
    },
    async tryAcquire() {
      if (holding()) {
        permits--;
        return 0;
      }
      const waitMs = Number(await script.run(key, intervalMs, toleranceMs, lease));
      if (waitMs > 0) return waitMs;
      permits = lease - 1;
      validUntil = Date.now() + lease * intervalMs;
      return 0;
    },
  };
}
