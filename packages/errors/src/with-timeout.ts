import type { ErrorCode } from "./error-codes.ts";

/** An operation outlasted its bound. */
export class TimeoutError extends Error {
  readonly code = "LF_TIMEOUT" satisfies ErrorCode;
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/**
 * Rejects with a TimeoutError when `promise` has not settled within `ms`; the promise itself runs
 * on regardless (a Redis command cannot be taken back), and a late rejection is swallowed.
 * Hand-written rather than a library's: one promise and one timer per call (no `Promise.race`, no
 * extra async frame), since it wraps every webhook's enqueue, and the error carries our code.
 * Calls over HTTP use undici's own timeouts instead.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
    // After a timeout, a late settlement has nobody left to tell: resolve/reject are then no-ops.
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
