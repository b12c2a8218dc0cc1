import type { WebhookEvent } from "@linefleet/webhook";

/**
 * How far the ingress's clock may be behind LINE's. An event's age is measured on our clock from
 * its `timestamp` (LINE's clock), so a clock behind by this much lets an event in this much later;
 * the dedupe mark must outlive that too.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

/**
 * The freshness bound that keeps replays out: an event is accepted only while
 * `now - timestamp <= maxEventAgeMs`, and its dedupe mark, written when it was accepted (so at or
 * after its timestamp), lasts dedupeTtlMs. A copy of the request sent again after the mark lapsed
 * is therefore at least dedupeTtlMs old, and refused as too old, if
 * `maxEventAgeMs + CLOCK_SKEW_ALLOWANCE_MS <= dedupeTtlMs`. The default is the largest bound that
 * keeps that true.
 */
export const maxEventAgeFor = (dedupeTtlMs: number) => dedupeTtlMs - CLOCK_SKEW_ALLOWANCE_MS;

/** Splits a request's events into those young enough to queue and those too old. */
export function splitByAge(
  events: readonly WebhookEvent[],
  receivedAt: number,
  maxEventAgeMs: number,
): { fresh: WebhookEvent[]; stale: WebhookEvent[] } {
  const fresh: WebhookEvent[] = [];
  const stale: WebhookEvent[] = [];
  for (const event of events) {
    (receivedAt - event.timestamp > maxEventAgeMs ? stale : fresh).push(event);
  }
  return { fresh, stale };
}
