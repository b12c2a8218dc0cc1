/** A limit as LINE states it: `limit` requests per `perMs` (a number alone means per second). */
export type RateLimit = number | { limit: number; perMs: number };

/**
 * LINE's own per-endpoint limits for the sends a campaign makes, applied unless the config says
 * otherwise: multicast 200/s, narrowcast and broadcast 60/hour (LINE-CONTRACT §6).
 */
export const lineSendRateLimits: Record<string, RateLimit> = {
  "/v2/bot/message/multicast": 200,
  "/v2/bot/message/narrowcast": { limit: 60, perMs: 60 * 60_000 },
  "/v2/bot/message/broadcast": { limit: 60, perMs: 60 * 60_000 },
};

interface Bucket {
  tokens: number;
  refilledAt: number;
  capacity: number;
  perMs: number;
}

/** Token buckets per endpoint, as LINE limits (not fixed windows); capacity = one period's worth. */
export class EndpointRateLimits {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one token from the endpoint's bucket; false when the bucket is empty. */
  take(key: string, rate: RateLimit, now: number): boolean {
    const { limit: capacity, perMs } =
      typeof rate === "number" ? { limit: rate, perMs: 1000 } : rate;
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.capacity !== capacity || bucket.perMs !== perMs) {
      bucket = { tokens: capacity, refilledAt: now, capacity, perMs };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.refilledAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed / perMs) * capacity);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear() {
    this.buckets.clear();
  }
}
