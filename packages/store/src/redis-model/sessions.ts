import type { ScriptSpec } from "./script.ts";

/**
 * Bot sessions: one per lane (a chat as seen by one bot), tagged like the lane so a session can be
 * read and written with the lane's events. Written and deleted by the bot runtime; the TTL is
 * renewed on each write, so an idle chat's session lapses. A session is a hash
 * `{ v: version, data: JSON }`, written only by SESSION_COMMIT.
 */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * KEYS[1] the session. ARGV: the version the writer read ("" for none), the new version, the
 * JSON, the TTL in seconds. Writes only if the stored version is still the one read, so a session
 * written by another event meanwhile is never overwritten. Returns 1 written, 0 refused.
 */
export const SESSION_COMMIT: ScriptSpec = {
  name: "linefleetCommitSession",
  keys: 1,
  lua: `
local current = redis.call("HGET", KEYS[1], "v") or ""
if current ~= ARGV[1] then return 0 end
redis.call("HSET", KEYS[1], "v", ARGV[2], "data", ARGV[3])
redis.call("EXPIRE", KEYS[1], ARGV[4])
return 1
`,
};
