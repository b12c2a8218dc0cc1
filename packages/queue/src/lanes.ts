/**
 * Ordered lanes: the events of one chat (group, else room, else user) are handled one at a time,
 * in `timestamp` order, across every worker process; different chats run in parallel.
 *
 * Each chat has a sorted set of its pending events, scored by timestamp. The ingress adds an event
 * in the same transaction that queues its job (and only if the job is new); a worker runs an event
 * only while it is at the head of its lane and removes it when the event is done or dead-lettered.
 */
export const laneKey = (prefix: string, chatId: string) => `${prefix}:lane:${chatId}`;

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
 * KEYS[1] the lane. ARGV[1] webhookEventId.
 * Returns {1} when the event may run (it is the head, or not in the lane at all),
 * else {0, headEventId}.
 */
export const TAKE_TURN = `
if not redis.call("ZSCORE", KEYS[1], ARGV[1]) then return {1} end
local head = redis.call("ZRANGE", KEYS[1], 0, 0)[1]
if head == ARGV[1] then return {1} end
return {0, head}
`;

/**
 * KEYS[1] the lane. ARGV[1] the finished webhookEventId.
 * Leaves the lane and returns the next event in it, if any, so its job can be woken at once.
 */
export const LEAVE_LANE = `
redis.call("ZREM", KEYS[1], ARGV[1])
return redis.call("ZRANGE", KEYS[1], 0, 0)[1]
`;

/** BullMQ job ids may not contain ":"; LINE's event ids (ULIDs) never do, but stay safe. */
export const jobIdFor = (webhookEventId: string) => webhookEventId.replaceAll(":", "_");
