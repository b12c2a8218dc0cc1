import { type ChannelResolver, NonRetriableError } from "@linefleet/bot";
import type { Channel } from "@linefleet/channels";
import type { WorkerEnv } from "@linefleet/config";
import {
  createLineClient,
  type LineClient,
  type LineClientOptions,
  withRateLimit,
} from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import { createTokenSource, type TokenSource } from "@linefleet/tokens";
import { createRedisRateLimiter, type RateLimiter } from "@linefleet/worker";

interface ChannelRuntime {
  channel: Channel;
  client: LineClient;
  tokens: TokenSource;
  rateLimiter: RateLimiter | undefined;
}

/**
 * The bot runtime's view of the deployment's channels: each channel's LINE client, with its own
 * token (renewed fleet-wide when managed) and its own rate limit (LINE limits per channel). An
 * event is matched to its channel by the name the ingress recorded with it; an event without one
 * by its destination (the channel's bot), or to the only channel there is.
 */
export function createChannelResolver(
  channels: readonly Channel[],
  deps: {
    env: WorkerEnv;
    redis: RedisConnection;
    keys: RedisKeys;
    logger: Logger;
    /** The keep-alive pool reply and push go through. */
    dispatcher?: LineClientOptions["dispatcher"];
  },
) {
  const { env, redis, keys, logger } = deps;
  const runtimes = new Map<string, ChannelRuntime>(
    channels.map((channel) => {
      const log = logger.child({ channel: channel.name });
      const tokens = createTokenSource(channel, {
        redis,
        keys,
        apiBaseUrl: env.LINE_API_BASE_URL,
        onIssued: (token) =>
          log.info({ expiresAt: new Date(token.expiresAt).toISOString() }, "access token issued"),
        onRevokeError: (error) => log.warn({ err: error }, "revoking a replaced token failed"),
        onInvalidated: () => log.warn("LINE refused the access token (401); issuing a new one"),
      });
      const client = createLineClient({
        tokens,
        apiBaseUrl: env.LINE_API_BASE_URL,
        dataApiBaseUrl: env.LINE_DATA_API_BASE_URL,
        timeoutMs: env.LINE_API_TIMEOUT_MS,
        ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
      });
      const rateLimiter =
        env.LINE_RATE_LIMIT_PER_SECOND > 0
          ? createRedisRateLimiter(redis, keys.lineApiRateLimit(channel.name), {
              perSecond: env.LINE_RATE_LIMIT_PER_SECOND,
            })
          : undefined;
      const limited = rateLimiter ? withRateLimit(client, rateLimiter.acquire) : client;
      return [channel.name, { channel, client: limited, tokens, rateLimiter }] as const;
    }),
  );
  const only = runtimes.size === 1 ? [...runtimes.values()][0] : undefined;

  function find(name: string | undefined, destination: string): ChannelRuntime | undefined {
    if (name !== undefined) return runtimes.get(name);
    for (const runtime of runtimes.values()) {
      if (runtime.channel.botUserId === destination) return runtime;
    }
    return only;
  }

  const resolve: ChannelResolver = async ({ channel: name, destination }) => {
    const runtime = find(name, destination);
    if (!runtime) {
      throw new NonRetriableError(
        name === undefined
          ? `no configured channel has the bot ${destination}`
          : `no channel named "${name}" is configured`,
      );
    }
    // Fetched before the handlers run, so `ctx.line.api` has a token at hand.
    await runtime.tokens.get();
    const { botUserId = destination } = runtime.channel;
    return { channel: { name: runtime.channel.name, botUserId }, client: runtime.client };
  };

  return {
    resolve,
    /**
     * The rate limit of a job's channel, so the worker can fetch its lease in the round trip of
     * the event's first script.
     */
    rateLimiterFor: (job: { channel?: string | undefined; destination: string }) =>
      find(job.channel, job.destination)?.rateLimiter,
    /**
     * Fetches every managed channel's token at start: N workers starting at once then cause one
     * issuance per channel (single-flight), not one each at their first event.
     */
    async warmUp() {
      await Promise.all(
        [...runtimes.values()].map(({ channel, tokens }) =>
          tokens.get().catch((error: unknown) => {
            logger.warn(
              { err: error, channel: channel.name },
              "no access token yet; retried per event",
            );
          }),
        ),
      );
    },
  };
}
