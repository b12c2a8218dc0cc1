/**
 * The event queue: BullMQ's own keys, all under `<prefix>:<queue name>:`. BullMQ owns their
 * layout; the model only names the queue and the one BullMQ key it reads, the dedupe mark.
 */
export const EVENTS_QUEUE_NAME = "line-events";

/** How long a webhookEventId is remembered by default. LINE stops redelivering long before this. */
export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * BullMQ's deduplication mark for an event (string, value: the job id, TTL: the dedupe window),
 * written by BullMQ's add script. Its layout is BullMQ's (`<prefix>:<queue>:de:<id>`).
 */
export const dedupeKey = (prefix: string, queueName: string, webhookEventId: string) =>
  `${prefix}:${queueName}:de:${webhookEventId}`;

/** BullMQ job ids may not contain ":"; LINE's event ids (ULIDs) never do, but stay safe. */
export const jobIdFor = (webhookEventId: string) => webhookEventId.replaceAll(":", "_");
