import type { ScriptSpec } from "./script.ts";
import { assertPlainPrefix, hashTag } from "./tags.ts";

/**
 * Campaigns: one hash-tagged family per campaign (`{c:<id>}`), so the scripts that settle a chunk
 * and count it touch one slot; the list of campaigns is one key of its own.
 *
 * - `<prefix>:campaigns` (sorted set: campaign id → creation, ms), no TTL; `list` drops ids whose record expired.
 * - `<prefix>:campaign:{c:<id>}` (hash): the campaign — definition, state, counters, quota read, times, request ids.
 * - `<prefix>:campaign:{c:<id>}:recipients` (list): the audience's user IDs, fixed before the first send,
 *   so chunk n is always the same 500 IDs.
 * - `<prefix>:campaign:{c:<id>}:chunks` (hash: chunk number → JSON): each send as recorded before and
 *   after LINE's answer (state, retry key, request id, error).
 *
 * The three keys of a campaign expire CAMPAIGN_RECORD_TTL_SECONDS after it ends (done, stopped,
 * cancelled, refused, failed); they have no TTL while it runs or waits.
 */
export function campaignKeys(prefix: string) {
  assertPlainPrefix(prefix);
  const of = (id: string) => `${prefix}:campaign:${hashTag(`c:${id}`)}`;
  return {
    index: () => `${prefix}:campaigns`,
    record: of,
    recipients: (id: string) => `${of(id)}:recipients`,
    chunks: (id: string) => `${of(id)}:chunks`,
  };
}

export type CampaignKeys = ReturnType<typeof campaignKeys>;

/** The BullMQ queue campaign work goes through, tagged so its keys share one Cluster slot. */
export const CAMPAIGNS_QUEUE_NAME = "campaigns-{campaigns}";

/** How long a campaign's record is kept once it has ended: its audit trail. */
export const CAMPAIGN_RECORD_TTL_SECONDS = 90 * 24 * 60 * 60;

/** States after which nothing more is sent. */
const FINAL_STATES = `{done=true, stopped=true, cancelled=true, refused=true, failed=true}`;

/**
 * Records that a chunk is about to be sent, unless it is settled already. KEYS: the record, the
 * chunks. ARGV: chunk number, retry key, now (ms). Returns "go", or the chunk's settled state, or
 * the campaign's state when it is not sending (paused, cancelled, …), or "stop" when the campaign
 * is stopping (LINE's monthly limit): then nothing is recorded.
 */
export const CAMPAIGN_CHUNK_BEGIN: ScriptSpec = {
  name: "linefleetCampaignChunkBegin",
  keys: 2,
  lua: `
local state = redis.call("HGET", KEYS[1], "state")
if state ~= "sending" then return state or "missing" end
if redis.call("HEXISTS", KEYS[1], "stopReason") == 1 then return "stop" end
local current = redis.call("HGET", KEYS[2], ARGV[1])
local attempts = 0
local firstAt = ARGV[3]
if current then
  local chunk = cjson.decode(current)
  if chunk.state ~= "sending" then return chunk.state end
  attempts = chunk.attempts or 0
  firstAt = chunk.firstAt or firstAt
end
redis.call("HSET", KEYS[2], ARGV[1], cjson.encode({state = "sending", retryKey = ARGV[2], attempts = attempts + 1, firstAt = tonumber(firstAt), at = tonumber(ARGV[3])}))
return "go"
`,
};

/**
 * Settles a chunk once: sent, failed or not_sent, counting its recipients into the campaign's
 * counters, and ends the campaign when every recipient is settled. KEYS: the record, the chunks,
 * the recipients. ARGV: chunk number, outcome, the chunk as JSON, recipients in it, now (ms),
 * the record's TTL (s). Returns 1 when settled now, 2 when that also ended the campaign, 0 when the
 * chunk was settled before.
 */
export const CAMPAIGN_CHUNK_SETTLE: ScriptSpec = {
  name: "linefleetCampaignChunkSettle",
  keys: 3,
  lua: `
local current = redis.call("HGET", KEYS[2], ARGV[1])
if current then
  local chunk = cjson.decode(current)
  if chunk.state ~= "sending" then return 0 end
end
local finalStates = ${FINAL_STATES}
redis.call("HSET", KEYS[2], ARGV[1], ARGV[3])
local field = ARGV[2] == "not_sent" and "notSent" or ARGV[2]
redis.call("HINCRBY", KEYS[1], field, ARGV[4])
local counts = redis.call("HMGET", KEYS[1], "total", "sent", "failed", "notSent", "state", "stopReason")
local settled = tonumber(counts[2] or 0) + tonumber(counts[3] or 0) + tonumber(counts[4] or 0)
if settled >= tonumber(counts[1] or 0) and not finalStates[counts[5]] then
  local ending = counts[6] and "stopped" or "done"
  redis.call("HSET", KEYS[1], "state", ending, "finishedAt", ARGV[5])
  redis.call("EXPIRE", KEYS[1], ARGV[6])
  redis.call("EXPIRE", KEYS[2], ARGV[6])
  redis.call("EXPIRE", KEYS[3], ARGV[6])
  return 2
end
return 1
`,
};

/**
 * Moves a campaign to a new state when it is in one of the given states. KEYS: the record, the
 * chunks, the recipients. ARGV: the new state, now (ms), the record's TTL (s), then the states it
 * may move from. Returns the state it was in (the move happened only if that one was allowed).
 */
export const CAMPAIGN_TRANSITION: ScriptSpec = {
  name: "linefleetCampaignTransition",
  keys: 3,
  lua: `
local state = redis.call("HGET", KEYS[1], "state")
if not state then return "missing" end
local allowed = false
for i = 4, #ARGV do if ARGV[i] == state then allowed = true end end
if not allowed then return state end
redis.call("HSET", KEYS[1], "state", ARGV[1])
local finalStates = ${FINAL_STATES}
if finalStates[ARGV[1]] then
  redis.call("HSET", KEYS[1], "finishedAt", ARGV[2])
  redis.call("EXPIRE", KEYS[1], ARGV[3])
  redis.call("EXPIRE", KEYS[2], ARGV[3])
  redis.call("EXPIRE", KEYS[3], ARGV[3])
else
  redis.call("PERSIST", KEYS[1])
  redis.call("PERSIST", KEYS[2])
  redis.call("PERSIST", KEYS[3])
end
return state
`,
};

/**
 * Opens a campaign's failed and not-sent chunks for another try: they become pending again and
 * their recipients leave the counters; the campaign goes back to sending. KEYS: the record, the
 * chunks, the recipients. Returns the reopened chunk numbers.
 */
export const CAMPAIGN_REOPEN: ScriptSpec = {
  name: "linefleetCampaignReopen",
  keys: 3,
  lua: `
local entries = redis.call("HGETALL", KEYS[2])
local reopened = {}
for i = 1, #entries, 2 do
  local chunk = cjson.decode(entries[i + 1])
  if chunk.state == "failed" or chunk.state == "not_sent" then
    local field = chunk.state == "failed" and "failed" or "notSent"
    redis.call("HINCRBY", KEYS[1], field, -(chunk.recipients or 0))
    redis.call("HDEL", KEYS[2], entries[i])
    table.insert(reopened, entries[i])
  end
end
if #reopened > 0 then
  redis.call("HSET", KEYS[1], "state", "sending")
  redis.call("HDEL", KEYS[1], "stopReason", "finishedAt")
  redis.call("PERSIST", KEYS[1])
  redis.call("PERSIST", KEYS[2])
  redis.call("PERSIST", KEYS[3])
end
return reopened
`,
};
