import type { ScriptSpec } from "./script.ts";

/**
 * The event queue: BullMQ's own keys, all under `<prefix>:<queue name>:`. BullMQ owns their
 * layout; the model only names the queue and the keys of it that our scripts read or pass on.
 */
export const EVENTS_QUEUE_NAME = "line-events";

/** How long a webhookEventId is remembered by default. LINE stops redelivering long before this. */
export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * An event's id within the deployment: its webhookEventId, qualified by the channel it came to.
 * LINE makes webhookEventIds unique per channel only as far as we can rely on, and two channels
 * must never refuse each other's events as duplicates, nor share a job or a ledger. The channel
 * "default" (the single-channel variables) keeps the bare id, so a single-channel deployment's
 * keys are those it always had. Channel names are `[A-Za-z0-9_-]`, so the "/" cannot be forged
 * by a name.
 */
export const eventKeyOf = (channel: string, webhookEventId: string) =>
  channel === "default" ? webhookEventId : `${channel}/${webhookEventId}`;

/**
 * An event's job id, from its key (eventKeyOf). BullMQ job ids may not contain ":"; LINE's event
 * ids (ULIDs) and channel names never do, but stay safe.
 */
export const jobIdFor = (eventKey: string) => eventKey.replaceAll(":", "_");

/**
 * BullMQ's key of one of a queue's states (`wait`, `active`, …) or of a job (its id). Built only
 * through `redisKeys(…).queueKey(shard, name)`, which takes the queue's name from the layout.
 */
export const bullKey = (prefix: string, queueName: string, name: string) =>
  `${prefix}:${queueName}:${name}`;

/**
 * KEYS: one shard queue's wait, active, delayed, prioritized and failed keys (one slot: the
 * shard's tag). Called once per shard. Returns their sizes and
 * the id of the oldest waiting job (BullMQ pushes new jobs on the left of `wait` and takes them
 * from the right, so the oldest is last), for the metrics read at scrape time.
 */
export const READ_QUEUE_DEPTH: ScriptSpec = {
  name: "linefleetReadQueueDepth",
  keys: 5,
  lua: `
return {
  redis.call("LLEN", KEYS[1]), redis.call("LLEN", KEYS[2]), redis.call("ZCARD", KEYS[3]),
  redis.call("ZCARD", KEYS[4]), redis.call("ZCARD", KEYS[5]), redis.call("LINDEX", KEYS[1], -1)
}
`,
};
