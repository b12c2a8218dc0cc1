interface Bucket {
  tokens: number;
  refilledAt: number;
  perSecond: number;
}

/** Token buckets per endpoint, as LINE limits (not fixed windows); capacity = one second's worth. */
export class EndpointRateLimits {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one token from the endpoint's bucket; false when the bucket is empty. */
  take(key: string, perSecond: number, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.perSecond !== perSecond) {
      bucket = { tokens: perSecond, refilledAt: now, perSecond };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.refilledAt);
    bucket.tokens = Math.min(perSecond, bucket.tokens + (elapsed / 1000) * perSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear() {
    this.buckets.clear();
  }
}
