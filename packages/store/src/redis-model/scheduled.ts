import { BEGIN_EVENT, FINISH_EVENT } from "./event-turn.ts";
import { LANE_TTL_SECONDS } from "./lanes.ts";
import { DEAD_LETTER_TTL_SECONDS } from "./ledger.ts";
import type { ScriptSpec } from "./script.ts";

/**
 * Scheduled work (`ctx.pushLater`, `ctx.schedule`): a BullMQ job on the chat's shard queue, delayed
 * until the item is due, and beside it the item's state, a string in its chat's lane slot:
 * `pending` → `running` → `sent`, or `pending` → `cancelled`; `failed` once it is a dead letter.
 * The state is what makes an item happen once: a job run for an item already sent or cancelled
 * does nothing, and `cancelLater` can tell "too late". Each shard also keeps a sorted set of its
 * pending items by due time, read by the metrics (pending, overdue) and the test kit's clock.
 *
 * When due, the item enters its chat's lane, scored by its due time as an event is by its
 * timestamp (never ahead of the lane's head, which may be running), then takes its turn and its
 * send ledger exactly as an event does (BEGIN_EVENT, FINISH_EVENT): it is ordered with the chat's
 * events, and its sends are recorded and keyed like an event's.
 */

/** How long an item's state stays after it ran: `cancelLater` answers `too_late` meanwhile. */
export const SCHEDULED_DONE_TTL_SECONDS = 24 * 60 * 60;

/** An item's state outlives its due time by this much, for retries and a late fleet. */
export const SCHEDULED_STATE_GRACE_SECONDS = 7 * 24 * 60 * 60;

/**
 * KEYS: state, due set. ARGV: item key, due (ms), state ttl (s).
 * Records a new item as pending; returns the state an item of that key already has (a retried
 * event scheduling again), else false.
 */
export const SCHEDULE_ITEM: ScriptSpec = {
  name: "linefleetScheduleItem",
  keys: 2,
  lua: `
local state = redis.call("GET", KEYS[1])
if state then return state end
redis.call("SET", KEYS[1], "pending", "EX", ARGV[3])
redis.call("ZADD", KEYS[2], ARGV[2], ARGV[1])
return false
`,
};

/**
 * KEYS: state, due set. ARGV: item key.
 * Returns "cancelled" (now), "was_cancelled" (before: a retried event cancelling again),
 * "too_late" (running, sent or failed) or "unknown".
 */
export const CANCEL_SCHEDULED: ScriptSpec = {
  name: "linefleetCancelScheduled",
  keys: 2,
  lua: `
local state = redis.call("GET", KEYS[1])
if not state then return "unknown" end
if state == "pending" then
  redis.call("SET", KEYS[1], "cancelled", "KEEPTTL")
  redis.call("ZREM", KEYS[2], ARGV[1])
  return "cancelled"
end
if state == "cancelled" then return "was_cancelled" end
return "too_late"
`,
};

/**
 * KEYS: lane, waiting set, ledger, state, due set. ARGV: item key, now (ms), ledger ttl (s), "1"
 * to run even when not at the head, state ttl (s), lane score (its due time; a fraction keeps
 * the call order of items one run scheduled for the same moment).
 * Returns {3} for a cancelled item and {2} for one already sent (its job does nothing). Else the
 * item leaves the due set and enters its lane once — at its score, or the head's when that is
 * later (a late item never runs beside the event at the head) — and BEGIN_EVENT follows: {0,
 * head} to wait for its turn, or {1, …} with its ledger.
 */
export const BEGIN_SCHEDULED: ScriptSpec = {
  name: "linefleetBeginScheduled",
  keys: 5,
  lua: `
local state = redis.call("GET", KEYS[4])
if state == "cancelled" then return {3} end
if state == "sent" then return {2} end
if state ~= "running" then
  redis.call("SET", KEYS[4], "running", "EX", ARGV[5])
  redis.call("ZREM", KEYS[5], ARGV[1])
  if not redis.call("ZSCORE", KEYS[1], ARGV[1]) then
    local score = tonumber(ARGV[6])
    local head = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
    if head[2] and tonumber(head[2]) > score then score = tonumber(head[2]) end
    redis.call("ZADD", KEYS[1], score, ARGV[1])
    redis.call("EXPIRE", KEYS[1], ${LANE_TTL_SECONDS})
  end
end
${BEGIN_EVENT.lua}`,
};

/**
 * KEYS: lane, waiting set, ledger, state. ARGV: as FINISH_EVENT's.
 * Records the item as sent (done) or failed (dead), then ends its attempt as FINISH_EVENT does.
 */
export const FINISH_SCHEDULED: ScriptSpec = {
  name: "linefleetFinishScheduled",
  keys: 4,
  lua: `
if ARGV[2] == "done" then
  redis.call("SET", KEYS[4], "sent", "EX", ${SCHEDULED_DONE_TTL_SECONDS})
elseif ARGV[2] == "dead" then
  redis.call("SET", KEYS[4], "failed", "EX", ${DEAD_LETTER_TTL_SECONDS})
end
${FINISH_EVENT.lua}`,
};

/** The name of the recurring jobs' queue (BullMQ job schedulers, one per `bot.every`). */
export const RECURRING_QUEUE_NAME = "recurring";
