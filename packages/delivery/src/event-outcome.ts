/**
 * How an attempt at an event ended: handled, to be tried again, or failed for good (a dead
 * letter). The values are the `outcome` label of `linefleet_events_processed_total`.
 */
export type EventOutcome = "ok" | "retry" | "dead_letter";
