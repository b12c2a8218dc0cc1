import type { ScriptSpec } from "./script.ts";

/**
 * The send ledger: one hash per event, a field per send position (JSON: status, via, at, …), so a
 * retried or replayed event never shows the user a message twice. Tagged with the event's lane,
 * so the lane's scripts can read and write it in the same call.
 */

/** As long as LINE remembers retry keys: after that a replayed push would be new to LINE anyway. */
export const LEDGER_TTL_SECONDS = 24 * 60 * 60;

/**
 * KEYS[1] the ledger. ARGV: position, entry (JSON), ttl seconds.
 * Marks a send as started unless one is recorded; returns the earlier entry if there was one.
 */
export const LEDGER_CLAIM: ScriptSpec = {
  name: "linefleetLedgerClaim",
  keys: 1,
  lua: `
local earlier = redis.call("HGET", KEYS[1], ARGV[1])
if earlier then return earlier end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[3])
return false
`,
};

/** KEYS[1] the ledger. ARGV: position, entry (JSON), ttl seconds. HSET and EXPIRE together. */
export const LEDGER_RECORD: ScriptSpec = {
  name: "linefleetLedgerRecord",
  keys: 1,
  lua: `
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[3])
return 1
`,
};
