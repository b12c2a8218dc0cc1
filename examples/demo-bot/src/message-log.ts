import type { BotContext } from "@linefleet/bot";
// `ctx.redis` and `ctx.keyPrefix` are the services linefleet's workers add to every context.
import type {} from "@linefleet/delivery";
import { laneOf, MESSAGE_LOG_TTL_SECONDS, redisKeys } from "@linefleet/store";

/**
 * The demo bot's record of what users wrote, one Redis hash per chat — the kind of store LINE
 * asks bots to purge when a user unsends a message.
 */
interface MessageLog {
  remember(messageId: string, text: string): Promise<void>;
  /** Whether the message was in the log. */
  forget(messageId: string): Promise<boolean>;
  recall(messageId: string): Promise<string | undefined>;
}

export function messageLogOf(context: BotContext<unknown, unknown>): MessageLog {
  const { redis, keyPrefix, destination } = context;
  const lane = laneOf(destination, (context.event as { source?: { type: string } }).source);
  const key = lane ? redisKeys(keyPrefix).messageLog(lane) : undefined;
  return {
    async remember(messageId, text) {
      if (!key) return;
      await redis.multi().hset(key, messageId, text).expire(key, MESSAGE_LOG_TTL_SECONDS).exec();
    },
    async forget(messageId) {
      return key ? (await redis.hdel(key, messageId)) === 1 : false;
    },
    async recall(messageId) {
      return key ? ((await redis.hget(key, messageId)) ?? undefined) : undefined;
    },
  };
}
