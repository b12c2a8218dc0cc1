/** How many wrong logins an address may make in a window before it must wait. */
export interface LoginLimit {
  maxFailures: number;
  windowMs: number;
}

/** Ten wrong logins per address per minute: plenty for a person, a crawl for a guesser. */
export const defaultLoginLimit: LoginLimit = { maxFailures: 10, windowMs: 60_000 };

/** Addresses remembered at most; beyond it the oldest are forgotten (memory stays bounded). */
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Counts failed logins per client address in a fixed window from the first failure. Hand-written
 * rather than @fastify/rate-limit: that plugin counts every request it checks and cannot look
 * without counting, while this limit must count failures only (the dashboard polls its API with
 * valid credentials every few seconds) and must refuse an address that is over it before looking
 * at its password, the right one included: else each wrong guess is refused but a right one
 * still gets in, and guessing is not slowed at all.
 */
export function createLoginLimiter(limit: LoginLimit = defaultLoginLimit, now = Date.now) {
  const failures = new Map<string, { count: number; resetAt: number }>();

  function current(address: string) {
    const entry = failures.get(address);
    if (entry && entry.resetAt <= now()) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  }

  /** A Map iterates in insertion order: the first addresses are the longest tracked. */
  function forgetOldest() {
    for (const address of failures.keys()) {
      if (failures.size <= MAX_TRACKED_ADDRESSES) return;
      failures.delete(address);
    }
  }

  return {
    /** Milliseconds until `address` may try again; 0 when it may now. */
    retryAfterMs(address: string): number {
      const entry = current(address);
      return entry && entry.count >= limit.maxFailures ? entry.resetAt - now() : 0;
    },
    recordFailure(address: string): void {
      const entry = current(address);
      if (entry) entry.count++;
      else failures.set(address, { count: 1, resetAt: now() + limit.windowMs });
      if (failures.size > MAX_TRACKED_ADDRESSES) forgetOldest();
    },
    recordSuccess(address: string): void {
      failures.delete(address);
    },
  };
}
