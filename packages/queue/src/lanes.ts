import { chatIdOf, type EventSource } from "@linefleet/webhook";

/**
 * Ordered lanes: the events of one chat (group, else room, else user) are handled one at a time,
 * in `timestamp` order, across every worker process; different chats run in parallel.
 *
 * Each chat has a sorted set of its pending events, scored by timestamp. The ingress adds an event
 * in the same transaction that queues its job (and only if the job is new); a worker runs an event
 * only while it is at the head of its lane and removes it when the event is done or dead-lettered.
 */
export const laneKey = (prefix: string, lane: string) => `${prefix}:lane:${lane}`;

/**
 * The lane an event belongs to: its chat, as seen by the bot it was sent to. User IDs are shared
 * by the channels of one provider, so the same user talking to two bots makes two lanes.
 */
export function laneOf(destination: string, source: EventSource | undefined): string | undefined {
  const chatId = chatIdOf(source);
  return chatId ? `${destination}:${chatId}` : undefined;
}

/** How long an abandoned lane entry can linger: far past any retry schedule. */
export const LANE_TTL_SECONDS = 24 * 60 * 60;

/**
 * KEYS[1] the queue's deduplication key for the event, KEYS[2] the lane.
 * ARGV: timestamp, webhookEventId, ttl seconds.
 * Runs just before the job is added, in the same MULTI: a duplicate never re-enters a lane.
 */
export const ADMIT_TO_LANE = `
if redis.call("EXISTS", KEYS[1]) == 0 then
  redis.call("ZADD", KEYS[2], ARGV[1], ARGV[2])
  redis.call("EXPIRE", KEYS[2], ARGV[3])
  return 1
end
return 0
`;

/**
 * KEYS[1] the lane, KEYS[2] the event's waiting mark. ARGV[1] webhookEventId, ARGV[2] mark ttl ms.
 * Returns {1} when the event may run (it is the head, or not in the lane at all), else marks the
 * event as waiting for its turn and returns {0, headEventId}.
 */
export const TAKE_TURN = `
if not redis.call("ZSCORE", KEYS[1], ARGV[1]) then return {1} end
local head = redis.call("ZRANGE", KEYS[1], 0, 0)[1]
if head == ARGV[1] then return {1} end
redis.call("SET", KEYS[2], "1", "PX", ARGV[2])
return {0, head}
`;

/**
 * KEYS[1] the lane. ARGV[1] the finished webhookEventId, ARGV[2] the prefix of waiting marks.
 * Leaves the lane; returns the next event if it is waiting for its turn, so its job can be woken
 * at once. An event backing off after an error is not returned: waking it would cut its wait short.
 */
export const LEAVE_LANE = `
redis.call("ZREM", KEYS[1], ARGV[1])
local next = redis.call("ZRANGE", KEYS[1], 0, 0)[1]
if next and redis.call("DEL", ARGV[2] .. next) == 1 then return next end
return false
`;

export const turnWaitKey = (prefix: string, webhookEventId: string) =>
  `${prefix}:turn-wait:${webhookEventId}`;

/** BullMQ job ids may not contain ":"; LINE's event ids (ULIDs) never do, but stay safe. */
export const jobIdFor = (webhookEventId: string) => webhookEventId.replaceAll(":", "_");
