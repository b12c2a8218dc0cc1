import { type Channel, NonRetriableError } from "@linefleet/bot";
import type { ChannelConfig } from "@linefleet/channels";
import { createLineClient, type LineClient, type LineClientOptions } from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import { createTokenSource } from "@linefleet/tokens";
import { createFleetRateLimit, type FleetRateLimit } from "./fleet-rate-limit.ts";
import { withRateLimit } from "./rate-limited-client.ts";

/** Where an event was addressed: the channel its webhook came to (when known) and the bot. */
interface ChannelAddress {
  /** The channel's name, as the ingress recorded it with the event. */
  channel?: string | undefined;
  /** The bot's user ID the webhook was sent to. */
  destination: string;
}

/** An event's channel and the LINE client that answers for it (with that channel's token). */
interface ResolvedChannel {
  channel: Channel;
  client: LineClient;
}

/**
 * Which channel an event belongs to and the client that answers for it, looked up per event.
 * `resolve` may fetch a managed token before the handlers run; a rejection fails the event like a
 * handler's error would.
 */
export interface ChannelResolver {
  resolve(address: ChannelAddress): ResolvedChannel | Promise<ResolvedChannel>;
  /**
   * The fleet rate limit of an event's channel, if any, so the worker can fetch its lease in the
   * round trip of the event's first script.
   */
  rateLimitOf(address: ChannelAddress): FleetRateLimit | undefined;
}

/** Every event belongs to the one channel, answered with the one client. */
export function singleChannel(client: LineClient, name = "default"): ChannelResolver {
  const channel: Channel = { name };
  return { resolve: () => ({ channel, client }), rateLimitOf: () => undefined };
}

interface ChannelResolverOptions {
  redis: RedisConnection;
  keys: RedisKeys;
  logger: Logger;
  apiBaseUrl?: string | undefined;
  dataApiBaseUrl?: string | undefined;
  /** A LINE API call that takes longer has an unknown outcome. */
  timeoutMs: number;
  /** Calls per second to LINE from the whole fleet, per channel; 0: no limit. */
  rateLimitPerSecond: number;
  /** The keep-alive pool reply and push go through. */
  dispatcher?: LineClientOptions["dispatcher"];
}

interface ChannelRuntime {
  channel: ChannelConfig;
  client: LineClient;
  tokens: { get(): Promise<string> };
  rateLimit: FleetRateLimit | undefined;
}

/**
 * The deployment's channels as the workers see them: each channel's LINE client, with its own
 * token (renewed fleet-wide when managed) and its own rate limit (LINE limits per channel). An
 * event is matched to its channel by the name the ingress recorded with it; an event without one
 * by its destination (the channel's bot), or to the only channel there is.
 */
export function createChannelResolver(
  channels: readonly ChannelConfig[],
  options: ChannelResolverOptions,
): ChannelResolver & { warmUp(): Promise<void> } {
  const { redis, keys, logger } = options;
  const runtimes = new Map<string, ChannelRuntime>(
    channels.map((channel) => {
      const log = logger.child({ channel: channel.name });
      const tokens = createTokenSource(channel, {
        redis,
        keys,
        apiBaseUrl: options.apiBaseUrl,
        onIssued: (token) =>
          log.info({ expiresAt: new Date(token.expiresAt).toISOString() }, "access token issued"),
        onRevokeError: (error) => log.warn({ err: error }, "revoking a replaced token failed"),
        onInvalidated: () => log.warn("LINE refused the access token (401); issuing a new one"),
      });
      const client = createLineClient({
        tokens,
        apiBaseUrl: options.apiBaseUrl,
        dataApiBaseUrl: options.dataApiBaseUrl,
        timeoutMs: options.timeoutMs,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const rateLimit =
        options.rateLimitPerSecond > 0
          ? createFleetRateLimit(redis, keys.lineApiRateLimit(channel.name), {
              perSecond: options.rateLimitPerSecond,
            })
          : undefined;
      const limited = rateLimit ? withRateLimit(client, rateLimit.acquire) : client;
      return [channel.name, { channel, client: limited, tokens, rateLimit }] as const;
    }),
  );
  const only = runtimes.size === 1 ? [...runtimes.values()][0] : undefined;

  function find({ channel: name, destination }: ChannelAddress): ChannelRuntime | undefined {
    if (name !== undefined) return runtimes.get(name);
    for (const runtime of runtimes.values()) {
      if (runtime.channel.botUserId === destination) return runtime;
    }
    return only;
  }

  return {
    async resolve(address) {
      const runtime = find(address);
      if (!runtime) {
        throw new NonRetriableError(
          address.channel === undefined
            ? `no configured channel has the bot ${address.destination}`
            : `no channel named "${address.channel}" is configured`,
        );
      }
      // Fetched before the handlers run, so `ctx.line.api` has a token at hand.
      await runtime.tokens.get();
      const { name, botUserId = address.destination } = runtime.channel;
      return { channel: { name, botUserId }, client: runtime.client };
    },
    rateLimitOf: (address) => find(address)?.rateLimit,
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
