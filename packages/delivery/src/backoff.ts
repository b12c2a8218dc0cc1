/**
 * When to try a failed event again: what the error asked for (LINE's Retry-After, a handler's
 * RetryAfterError), else exponential backoff with full jitter so a fleet does not retry in step.
 */
export function retryDelayMs(
  attemptsMade: number,
  error: unknown,
  { baseMs = 500, maxMs = 60_000, random = Math.random } = {},
): number {
  const asked = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof asked === "number" && Number.isFinite(asked))
    return Math.min(Math.max(asked, 0), maxMs * 10);
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
