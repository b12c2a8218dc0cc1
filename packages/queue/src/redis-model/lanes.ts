import { chatIdOf, type EventSource } from "@linefleet/webhook";
import type { ScriptSpec } from "./script.ts";

/**
 * Ordered lanes: the events of one chat (group, else room, else user) are handled one at a time,
 * in `timestamp` order, across every worker process; different chats run in parallel.
 *
 * A lane is a sorted set of the chat's pending events, scored by timestamp. The ingress adds an
 * event in the same transaction that queues its job (and only if the job is new); a worker runs
 * an event only while it heads its lane and removes it once the event is done or dead-lettered.
 * Beside it, the lane's waiting set holds the events that stepped aside for their turn (scored by
 * when their mark lapses), so the event ahead can wake them: a fixed key per lane, declared in
 * KEYS like every key a script touches.
 */

/**
 * The lane an event belongs to: its chat, as seen by the bot it was sent to. User IDs are shared
 * by the channels of one provider, so the same user talking to two bots makes two lanes.
 * The lane is also the hash tag of its keys, and of its events' ledgers and its session.
 */
export function laneOf(destination: string, source: EventSource | undefined): string | undefined {
  const chatId = chatIdOf(source);
  return chatId ? `${destination}:${chatId}` : undefined;
}

/** How long an abandoned lane entry or waiting mark can linger: far past any retry schedule. */
export const LANE_TTL_SECONDS = 24 * 60 * 60;

/**
 * KEYS[1] the event's dedupe mark, KEYS[2] the lane. ARGV: timestamp, webhookEventId, ttl seconds.
 * Runs just before the job is added, in the same MULTI: a duplicate never re-enters a lane.
 */
export const ADMIT_TO_LANE: ScriptSpec = {
  name: "linefleetAdmitToLane",
  keys: 2,
  lua: `
if redis.call("EXISTS", KEYS[1]) == 0 then
  redis.call("ZADD", KEYS[2], ARGV[1], ARGV[2])
  redis.call("EXPIRE", KEYS[2], ARGV[3])
  return 1
end
return 0
`,
};

/**
 * KEYS[1] the lane, KEYS[2] its waiting set. ARGV: webhookEventId, mark ttl ms, lane ttl seconds.
 * Returns {1} when the event may run (it is the head, or not in the lane at all), else marks the
 * event as waiting for its turn and returns {0, headEventId}.
 */
export const TAKE_TURN: ScriptSpec = {
  name: "linefleetTakeTurn",
  keys: 2,
  lua: `
if not redis.call("ZSCORE", KEYS[1], ARGV[1]) then return {1} end
local head = redis.call("ZRANGE", KEYS[1], 0, 0)[1]
if head == ARGV[1] then
  redis.call("ZREM", KEYS[2], ARGV[1])
  return {1}
end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call("ZADD", KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call("EXPIRE", KEYS[2], ARGV[3])
return {0, head}
`,
};

/**
 * KEYS[1] the lane, KEYS[2] its waiting set. ARGV[1] the finished webhookEventId.
 * Leaves the lane; returns the next event if it is waiting for its turn (its mark not lapsed), so
 * its job can be woken at once. An event backing off after an error is not returned: waking it
 * would cut its wait short.
 */
export const LEAVE_LANE: ScriptSpec = {
  name: "linefleetLeaveLane",
  keys: 2,
  lua: `
redis.call("ZREM", KEYS[1], ARGV[1])
redis.call("ZREM", KEYS[2], ARGV[1])
local next = redis.call("ZRANGE", KEYS[1], 0, 0)[1]
if not next then return false end
local deadline = redis.call("ZSCORE", KEYS[2], next)
if not deadline then return false end
redis.call("ZREM", KEYS[2], next)
local t = redis.call("TIME")
if tonumber(deadline) < tonumber(t[1]) * 1000 then return false end
return next
`,
};
