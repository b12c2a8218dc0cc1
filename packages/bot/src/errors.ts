/** Errors a handler throws to steer what happens to its event. */

/** The event is failed for good (kept as a dead letter): retrying cannot help. */
export class NonRetriableError extends Error {
  readonly code = "LF_NON_RETRIABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetriableError";
  }
}

/** Try the event again after `retryAfterMs`, e.g. when a downstream service asked to wait. */
export class RetryAfterError extends Error {
  readonly code = "LF_RETRY_AFTER";
  readonly retryAfterMs: number;
  constructor(
    retryAfterMs: number,
    message = `retry after ${retryAfterMs} ms`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RetryAfterError";
    this.retryAfterMs = retryAfterMs;
  }
}
