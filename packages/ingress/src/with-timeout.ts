export class TimeoutError extends Error {
  readonly code = "LF_TIMEOUT";
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/**
 * Rejects when `promise` has not settled within `ms`; the promise itself runs on regardless.
 * One promise and one timer per call (no `Promise.race`, no extra async frame): it wraps every
 * webhook's enqueue.
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
