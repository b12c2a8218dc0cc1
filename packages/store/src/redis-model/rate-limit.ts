import type { ScriptSpec } from "./script.ts";

/**
 * A rate limit shared by every worker process: one string per limit (the GCRA's theoretical
 * arrival time, ms), expiring once the limit is idle. One key fleet-wide, whatever the shards.
 *
 * A generic cell rate algorithm in one script, timed by Redis's own clock so the workers' clocks
 * need not agree. KEYS[1] the limit. ARGV: the interval between permits (ms), the burst tolerance
 * (ms), how many permits to take. Returns 0 when they are granted, else how many ms to wait.
 */
export const RATE_ACQUIRE: ScriptSpec = {
  name: "linefleetRateAcquire",
  keys: 1,
  lua: `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call("GET", KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - burst - now
if wait > 0 then return math.ceil(wait) end
local next = tat + interval * tonumber(ARGV[3])
redis.call("SET", KEYS[1], next, "PX", math.ceil(next - now + burst) + 1)
return 0
`,
};
