import type { ScriptSpec } from "./script.ts";

/**
 * The bot user ID of each channel, as the ingress learned it from the channel's first verified
 * webhook (when CHANNELS_FILE does not give it): a string per channel, kept without a TTL so every
 * ingress process agrees on it for as long as the deployment lives.
 *
 * KEYS[1] the channel's bot user ID. ARGV: the destination of a verified webhook. Stores it if
 * none is known yet; returns whichever ID the key holds.
 */
export const LEARN_BOT_USER_ID: ScriptSpec = {
  name: "linefleetLearnBotUserId",
  keys: 1,
  lua: `
local known = redis.call("GET", KEYS[1])
if known then return known end
redis.call("SET", KEYS[1], ARGV[1])
return ARGV[1]
`,
};
