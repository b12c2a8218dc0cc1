import type { Channel } from "@linefleet/channels";
import { createLineClient, type LineClient, withRateLimit } from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import { createTokenSource } from "@linefleet/tokens";
import { createRedisLedger, createRedisRateLimiter } from "@linefleet/worker";
import { UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import type { WorkerEnv } from "./env.ts";

/**
 * Each channel's LINE client (its own token, renewed fleet-wide when managed, and its own rate
 * limit: LINE limits per channel) and send ledger.
 */
export function createChannelRuntimes(
  channels: readonly Channel[],
  deps: { env: WorkerEnv; redis: Redis; logger: Logger },
) {
  const { env, redis, logger } = deps;
  const runtimes = new Map(
    channels.map((channel) => {
      const log = logger.child({ channel: channel.name });
      const tokens = createTokenSource(channel, {
        redis,
        prefix: env.QUEUE_PREFIX,
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
      });
      const limited: LineClient =
        env.LINE_RATE_LIMIT_PER_SECOND > 0
          ? withRateLimit(
              client,
              createRedisRateLimiter(redis, `${env.QUEUE_PREFIX}:rate:line-api:${channel.name}`, {
                perSecond: env.LINE_RATE_LIMIT_PER_SECOND,
              }).acquire,
            )
          : client;
      const runtime = {
        client: limited,
        ledger: createRedisLedger(redis, env.QUEUE_PREFIX, channel.name),
        tokens,
      };
      return [channel.name, runtime] as const;
    }),
  );

  return {
    /**
     * Fetches every managed channel's token at start: N workers starting at once then cause one
     * issuance per channel (single-flight), not one each at their first event.
     */
    async warmUp() {
      await Promise.all(
        [...runtimes.entries()].map(([name, runtime]) =>
          runtime.tokens.get().catch((error: unknown) => {
            logger.warn({ err: error, channel: name }, "no access token yet; retried per event");
          }),
        ),
      );
    },
    async forChannel(name: string) {
      const runtime = runtimes.get(name);
      if (!runtime) throw new UnrecoverableError(`no channel named "${name}" is configured`);
      // Fetched before the handlers run, so `ctx.line.api` has a token at hand.
      await runtime.tokens.get();
      return runtime;
    },
  };
}
