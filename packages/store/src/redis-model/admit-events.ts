/**
 * The ingress's one script per batch and shard: for each event, the dedupe check, its lane's
 * admission, BullMQ's own add and its dedupe mark (dedupe-marks.ts), in one call. It replaced two
 * script calls per event (the lane's admission, BullMQ's add) in a MULTI: one command to build,
 * send and parse per batch, and one compact mark in a shared hash where BullMQ wrote a key per
 * event.
 *
 * BullMQ's add script is not rewritten: its text, as BullMQ defined it on the connection, becomes
 * the body of a local function whose parameters shadow the globals KEYS and ARGV, and runs per
 * event unchanged. So the script is built at runtime, for the BullMQ that is installed.
 *
 * KEYS: BullMQ's 9 keys of the shard's queue (the same for every event), then per event its job
 * key, its mark's hash, the key an earlier linefleet marked it with (BullMQ's deduplication key,
 * read so that an upgrade still refuses what the version before it acknowledged; never written)
 * and, if it has a chat, its lane: all in the shard's slot.
 * ARGV: the marks' TTL (ms), the lanes' TTL (s), then 7 per event: "1" if it has a lane, its
 * timestamp (the lane's score), its job id (the lane's member), its mark's field, and BullMQ's 3
 * arguments for it (packed args, data, packed options). Returns per event 1 (new), 0 (duplicate)
 * or the message of the error that stopped it (an event after a failed one of its chat is not
 * written, and answers why).
 *
 * Redis does not roll a script back when it fails midway (an error in BullMQ's add, say): what ran
 * stays. Nothing is lost by that. An event's mark is written last, only once BullMQ's add returned
 * its id and its job exists, and the request of an event that failed is answered 503 (as are all
 * of the batch's when the script as a whole fails), so LINE redelivers it: an event already
 * stored is refused by its mark or its job; one that failed before BullMQ's add stored its job
 * has neither, so it is admitted again (its lane entry, if written, is the same member and score).
 * (A failure inside BullMQ's add after it stored the job hash, its events stream of another type
 * say, leaves what BullMQ's add alone would leave: a job that refuses the redelivery.)
 */

import { DEDUPE_MARK_VALUE } from "./dedupe-marks.ts";

/** The script's name on the ingress's connection. */
export const ADMIT_EVENTS_NAME = "linefleetAdmitEvents";

/** BullMQ's 9 keys for its standard add, then ours. */
export const BULLMQ_ADD_KEYS = 9;
/** ARGV per event: lane flag, timestamp, job id, mark field, then BullMQ's 3. */
const ADMIT_ARGS_PER_EVENT = 7;

/**
 * The script's text around BullMQ's add script (`bullmqAddLua`, as defined on its connection).
 * Throws when that text cannot be wrapped: `...` (varargs) would not compile inside a function.
 */
export function admitEventsLua(bullmqAddLua: string): string {
  if (bullmqAddLua.includes("...")) {
    throw new Error("BullMQ's add script uses `...`, so it cannot run inside a Lua function");
  }
  return `
local function bullmqAdd(KEYS, ARGV)
${bullmqAddLua}
end
local bullKeys = {}
for i = 1, ${BULLMQ_ADD_KEYS} do bullKeys[i] = KEYS[i] end
local markTtlMs = ARGV[1]
local laneTtl = ARGV[2]

-- 0 for a duplicate (its mark, its job or an earlier version's mark exists), which writes
-- nothing; 1 once the event is in its lane, queued and marked.
local function admit(jobKey, markKey, legacyMarkKey, laneKey, a)
  if redis.call("HEXISTS", markKey, ARGV[a + 3]) == 1 or redis.call("EXISTS", jobKey) == 1
    or redis.call("EXISTS", legacyMarkKey) == 1 then
    return 0
  end
  if laneKey then
    redis.call("ZADD", laneKey, ARGV[a + 1], ARGV[a + 2])
    redis.call("EXPIRE", laneKey, laneTtl)
  end
  local jobId = bullmqAdd(bullKeys, { ARGV[a + 4], ARGV[a + 5], ARGV[a + 6] })
  if type(jobId) ~= "string" or redis.call("EXISTS", jobKey) == 0 then
    error("BullMQ's add did not store job " .. ARGV[a + 2] .. ": " .. tostring(jobId))
  end
  redis.call("HSET", markKey, ARGV[a + 3], "${DEDUPE_MARK_VALUE}")
  -- The hash lives the window from its newest mark, so each of its marks lives at least the
  -- window. Renewed on every write: one O(1) command, where the expiry of the hash's first mark
  -- would end the later ones too early.
  redis.call("PEXPIRE", markKey, markTtlMs)
  return 1
end

local answers = {}
local duplicates = false
-- The lanes one of whose events failed in this call: their later events are not written, so
-- that none overtakes it (its request is answered 503, or spooled, and comes again).
local failedLanes = {}
local k = ${BULLMQ_ADD_KEYS + 1}
for a = 3, #ARGV, ${ADMIT_ARGS_PER_EVENT} do
  local jobKey = KEYS[k]
  local markKey = KEYS[k + 1]
  local legacyMarkKey = KEYS[k + 2]
  local laneKey = nil
  if ARGV[a] == "1" then
    laneKey = KEYS[k + 3]
    k = k + 4
  else
    k = k + 3
  end
  if laneKey and failedLanes[laneKey] then
    answers[#answers + 1] = "not written: an earlier event of its chat in this call failed"
  else
    -- An event that fails (one of its keys holds another type, say) fails alone, with its chat's
    -- later events: its answer is the error, and the other chats' events are written.
    local ok, answer = pcall(admit, jobKey, markKey, legacyMarkKey, laneKey, a)
    if ok then
      answers[#answers + 1] = answer
      if answer == 0 then duplicates = true end
    else
      local failure = answer
      if laneKey then failedLanes[laneKey] = true end
      if type(failure) == "table" and failure.err then
        answers[#answers + 1] = failure.err
      else
        answers[#answers + 1] = tostring(failure)
      end
    end
  end
end
-- A duplicate writes nothing, yet the ingress's WAIT (INGRESS_MIN_REPLICAS) must wait for the
-- first write of it, made earlier, perhaps by another ingress: WAIT waits for this connection's
-- last write, so one write here (BullMQ's id counter, which its own add increments anyway) puts
-- it after that one.
if duplicates then redis.call("INCR", KEYS[4]) end
return answers
`;
}
