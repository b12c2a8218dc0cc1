import type { ScriptSpec } from "./script.ts";

/**
 * Bot sessions: one per lane (a chat as seen by one bot), tagged like the lane so a session can be
 * read and written with the lane's events. Written and deleted by the bot runtime; the TTL is
 * renewed on each write, so an idle chat's session lapses. A session is a hash
 * `{ v: version, data: JSON, conv?: JSON }`, written only by SESSION_COMMIT: `data` is the bot's
 * own session, `conv` the chat's conversation in progress (the bot package's replay log), so both
 * change together or not at all.
 */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * KEYS[1] the session, KEYS[2] the conversations index of the lane's shard (a sorted set: lane →
 * when its session lapses, ms; in the session's slot). ARGV: the version the writer read ("" for
 * none), the new version, the session's JSON ("" leaves `data` as it is), the TTL in seconds, what
 * to do with the conversation ("keep", "set" or "delete"), its JSON (for "set"), the lane, now (ms).
 * Writes only if the stored version is still the one read, so a session written by another event
 * meanwhile is never overwritten. The index holds the lanes whose session has a conversation, so
 * the active ones are counted without reading any session; entries of lapsed sessions are trimmed
 * here. Returns 1 written, 0 refused.
 */
export const SESSION_COMMIT: ScriptSpec = {
  name: "linefleetCommitSession",
  keys: 2,
  lua: `
local current = redis.call("HGET", KEYS[1], "v") or ""
if current ~= ARGV[1] then return 0 end
redis.call("HSET", KEYS[1], "v", ARGV[2])
if ARGV[3] ~= "" then redis.call("HSET", KEYS[1], "data", ARGV[3]) end
local ttl = tonumber(ARGV[4])
local now = tonumber(ARGV[8])
if ARGV[5] == "set" then
  redis.call("HSET", KEYS[1], "conv", ARGV[6])
elseif ARGV[5] == "delete" then
  redis.call("HDEL", KEYS[1], "conv")
end
redis.call("EXPIRE", KEYS[1], ttl)
if redis.call("HEXISTS", KEYS[1], "conv") == 1 then
  redis.call("ZADD", KEYS[2], now + ttl * 1000, ARGV[7])
else
  redis.call("ZREM", KEYS[2], ARGV[7])
end
redis.call("ZREMRANGEBYSCORE", KEYS[2], "-inf", now)
return 1
`,
};
