import { defineScript } from "@linefleet/queue";
import type { Redis } from "ioredis";

/** Stores the first value a key is given and returns whichever value it holds. */
const LEARN = `
local known = redis.call("GET", KEYS[1])
if known then return known end
redis.call("SET", KEYS[1], ARGV[1])
return ARGV[1]
`;

export const botUserIdKey = (prefix: string, channel: string) => `${prefix}:bot-user-id:${channel}`;

export interface DestinationGuardOptions {
  redis: Redis;
  prefix: string;
  channel: string;
  /** The channel's bot user id, when the configuration gives it. */
  botUserId?: string | undefined;
}

/**
 * Tells whether a verified webhook was addressed to this channel's bot. The bot's user id comes
 * from the configuration, or else is learned from the channel's first verified request and kept
 * in Redis, so every ingress process agrees on it; later requests for another bot are refused.
 */
export function createDestinationGuard(options: DestinationGuardOptions) {
  const key = botUserIdKey(options.prefix, options.channel);
  const learn = defineScript(options.redis, "linefleetLearnBotUserId", LEARN, 1);
  let known = options.botUserId;
  return {
    async check(destination: string): Promise<boolean> {
      known ??= String(await learn.run(key, destination));
      return destination === known;
    },
  };
}
