import { once } from "node:events";
import type { RedisConnection } from "@linefleet/store";
import { defineScript, LEARN_BOT_USER_ID, type RedisKeys } from "@linefleet/store";

export interface DestinationGuardOptions {
  redis: RedisConnection;
  keys: RedisKeys;
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
  const key = options.keys.botUserId(options.channel);
  const learn = defineScript(options.redis, LEARN_BOT_USER_ID);
  let known = options.botUserId;
  let connected: Promise<unknown> | undefined;
  /**
   * The ingress's connection has no offline queue (it must fail fast), so a command sent while it
   * still connects, just after start, would fail and the webhook get a 503. Wait for it instead,
   * as BullMQ does before the enqueue; the handler's timeout bounds the wait.
   */
  const ready = () => {
    if (options.redis.status === "ready") return undefined;
    connected ??= once(options.redis, "ready").finally(() => {
      connected = undefined;
    });
    return connected;
  };
  return {
    async check(destination: string): Promise<boolean> {
      if (known === undefined) {
        await ready();
        known = String(await learn.run(key, destination));
      }
      return destination === known;
    },
  };
}
