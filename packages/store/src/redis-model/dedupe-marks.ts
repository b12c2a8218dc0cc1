import { createHash } from "node:crypto";

/**
 * Dedupe marks: what refuses a redelivered event for the whole dedupe window (DEDUPE_TTL_MS),
 * long after its job was handled and deleted. One key per event cost about 200 B of Redis memory
 * (the key, its expiry entry, its object); here many marks share a hash, as fields, small enough
 * that Redis keeps it as a listpack (`hash-max-listpack-entries`: 512 by default for hashes, 128
 * for sorted sets): about 21 B per mark, against about 78 B in a hash past that size.
 *
 * A hash holds the marks of one shard, one second of the events' `timestamp` and one eighth of
 * their ids. A redelivery keeps its `timestamp` and `webhookEventId` (LINE's contract), so it
 * always meets its mark in the same hash. Eight hashes per second keep each under 128 fields up
 * to about 1,000 events per second per shard (a margin under Redis's default, 512, for a Redis
 * configured lower, and a short scan for HEXISTS); past the limit a hash turns into a hashtable,
 * larger but as correct.
 */

/** How many hashes one second of one shard's events is spread over. */
export const DEDUPE_MARK_BUCKETS = 8;

/** A mark's value: only the field's presence counts. */
export const DEDUPE_MARK_VALUE = "1";

/**
 * The second of an event without a usable `timestamp` (missing, or not a finite number: LINE
 * always sends one, but the webhook schema is lenient). Its redelivery lacks it too, so a fixed
 * second finds it; 0 cannot be a real event's second, so such events never crowd a real one.
 */
export const NO_TIMESTAMP_SECOND = 0;

export interface DedupeMark {
  /** The second of the event's timestamp (epoch seconds). */
  second: number;
  /** Which of the second's DEDUPE_MARK_BUCKETS hashes (0 … 7). */
  bucket: number;
  /** The field: the event's dedupe id (dedupeIdFor). */
  field: string;
}

const digestOf = (eventKey: string) => createHash("sha1").update(eventKey).digest();

/**
 * The dedupe id of an event: 96 bits of a hash of its key (eventKeyOf), 16 characters where the
 * id has 26. It is kept for every event for the whole dedupe window, so every byte counts (a
 * collision among a day's events at 1,000/s has odds of about 1 in 10^13).
 */
export const dedupeIdFor = (eventKey: string) =>
  digestOf(eventKey).toString("base64url").slice(0, 16);

/**
 * Where an event's mark lives. The bucket comes from a byte of the hash that the dedupe id does
 * not use, so the eight hashes of a second fill evenly and independently of the field.
 */
export function dedupeMarkOf(eventKey: string, timestamp: unknown): DedupeMark {
  const digest = digestOf(eventKey);
  const second =
    typeof timestamp === "number" && Number.isFinite(timestamp)
      ? Math.floor(timestamp / 1000)
      : NO_TIMESTAMP_SECOND;
  return {
    second,
    bucket: (digest[15] ?? 0) % DEDUPE_MARK_BUCKETS,
    field: digest.toString("base64url").slice(0, 16),
  };
}
