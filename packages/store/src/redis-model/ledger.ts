/**
 * The send ledger: one hash per event, a field per send position (JSON: status, via, at, …), so a
 * retried or replayed event never shows the user a message twice. Tagged with the event's lane, so
 * the event's two scripts (event-turn.ts) read and write it with the lane, in one call each.
 * An event that is done needs no ledger (its dedupe mark refuses redeliveries): only a grace mark
 * is left. Dead letters keep theirs for a replay.
 */

/** While an event is retried: as long as LINE remembers retry keys. */
export const LEDGER_TTL_SECONDS = 24 * 60 * 60;

/** A dead letter's ledger lives as long as the dead letter (BullMQ's failed job, 7 days). */
export const DEAD_LETTER_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * How long a done event's mark stays by default: past the time a job whose completion
 * was lost (its worker died right after the handler) takes to be found stalled and run again.
 */
export const DONE_GRACE_SECONDS = 120;
