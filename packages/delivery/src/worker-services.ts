import type { RedisConnection } from "@linefleet/store";

/** What linefleet's workers give every bot context beyond the bot API (`ctx.redis`, `ctx.keyPrefix`). */
export interface WorkerServices {
  /** The worker's Redis connection, for the bot's own small state (no blocking commands). */
  readonly redis: RedisConnection;
  /** Prefix of linefleet's Redis keys (`QUEUE_PREFIX`); put the bot's own keys under it. */
  readonly keyPrefix: string;
}

declare module "@linefleet/bot" {
  // Declaration merging, as Fastify's decorators are typed: a bot run by these workers has them.
  interface BotServices extends WorkerServices {}
}
