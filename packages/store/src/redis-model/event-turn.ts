import type { ScriptSpec } from "./script.ts";

/**
 * The worker's two round trips per event, beyond BullMQ's own: one script before the handler
 * (its lane turn and its ledger), one after (its ledger, leaving the lane, the next event to wake).
 * Each gets the event's keys — lane, lane's waiting set, ledger — all behind the lane's hash tag
 * (an event without a chat gets keys tagged by its own id; its lane and waiting set stay empty).
 *
 * Ledger fields: a send position ("0", "1", …) → its entry (JSON); "~open" → when the attempt in
 * progress began (ms): found at the start of an attempt, it tells of an earlier attempt that never
 * finished (its worker died), whose sends are unknown. Once the event is done the key holds the
 * string "1" instead: the smallest value Redis stores (a shared integer).
 */

/**
 * KEYS: lane, waiting set, ledger. ARGV: webhookEventId, now (ms), ledger ttl (s), "1" to run even
 * when not at the head (the lane moved on).
 * Returns {0, head} when the event must wait for its turn; {2} when the event is already done;
 * else {1, earlier attempt's start or "", head it overtook or "", field, value, …} and marks the
 * attempt open.
 */
export const BEGIN_EVENT: ScriptSpec = {
  name: "linefleetBeginEvent",
  keys: 3,
  lua: `
local id = ARGV[1]
local overtook = ""
if redis.call("ZSCORE", KEYS[1], id) then
  local head = redis.call("ZRANGE", KEYS[1], 0, 0)[1]
  if head ~= id then
    if ARGV[4] ~= "1" then return {0, head} end
    overtook = head
  end
  redis.call("ZREM", KEYS[2], id)
end
if redis.call("TYPE", KEYS[3]).ok == "string" then return {2} end
local earlier = redis.call("HGET", KEYS[3], "~open") or ""
redis.call("HSET", KEYS[3], "~open", ARGV[2])
redis.call("EXPIRE", KEYS[3], ARGV[3])
local reply = {1, earlier, overtook}
local fields = redis.call("HGETALL", KEYS[3])
for i = 1, #fields do reply[#reply + 1] = fields[i] end
return reply
`,
};

/**
 * KEYS: lane, waiting set. ARGV: webhookEventId, mark ttl (ms), lane ttl (s).
 * Run once the waiting event's job is delayed: marks it waiting, so the event ahead wakes it when
 * it leaves; returns 1 instead when its turn came meanwhile (the event ahead already left), so it
 * wakes itself. Either way no wake-up is lost: the mark is only seen once the job can be woken.
 */
export const STEP_ASIDE: ScriptSpec = {
  name: "linefleetStepAside",
  keys: 2,
  lua: `
local head = redis.call("ZRANGE", KEYS[1], 0, 0)[1]
if head == ARGV[1] or not redis.call("ZSCORE", KEYS[1], ARGV[1]) then return 1 end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call("ZADD", KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call("EXPIRE", KEYS[2], ARGV[3])
return 0
`,
};

/**
 * KEYS: lane, waiting set, ledger. ARGV: webhookEventId, outcome, ledger ttl (s), then position,
 * entry, … (the attempt's sends).
 * outcome "done": the ledger becomes a done mark ("1") for a short grace (a job whose completion was lost
 * and is run again finds it), the event leaves its lane. "retry": the sends are recorded, the
 * attempt closed, the event keeps its place. "dead": recorded and closed, kept for a replay; the
 * event leaves its lane. On leaving, returns the next event of the lane if it is waiting for its
 * turn (not backing off), its mark taken so that exactly one caller wakes it; else false.
 */
export const FINISH_EVENT: ScriptSpec = {
  name: "linefleetFinishEvent",
  keys: 3,
  lua: `
local id = ARGV[1]
if ARGV[2] == "done" then
  redis.call("SET", KEYS[3], "1")
else
  for i = 4, #ARGV, 2 do redis.call("HSET", KEYS[3], ARGV[i], ARGV[i + 1]) end
  redis.call("HDEL", KEYS[3], "~open")
end
redis.call("EXPIRE", KEYS[3], ARGV[3])
if ARGV[2] == "retry" then return false end
redis.call("ZREM", KEYS[1], id)
redis.call("ZREM", KEYS[2], id)
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
