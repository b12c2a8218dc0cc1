import type { ActivityEvent } from "./core/activity.ts";

/**
 * Resolves with `check()`'s value as soon as it is defined, re-checking on every activity event,
 * so waiting needs no polling and no timers beyond the deadline.
 */
export function untilActivity<T>(
  subscribe: (listener: (event: ActivityEvent) => void) => () => void,
  check: () => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const first = check();
  if (first !== undefined) return Promise.resolve(first);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe(() => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}
