import { once } from "node:events";
import { loadChannels, webhookPathsOf } from "@linefleet/channels";
import { configureAll, exitOnConfigError, exitWithConfigError, parseEnv } from "@linefleet/config";
import { createDestinationGuard, createWebhookHandler, withTimeout } from "@linefleet/ingress";
import { createLogger } from "@linefleet/log";
import { createIngressMetrics, createRegistry } from "@linefleet/metrics";
import {
  assertRedisKeepsKeys,
  assertShardCount,
  createEventEnqueuer,
  createProducerConnection,
  EventsNotStorableError,
  redisKeys,
  ShardCountMismatchError,
  watchEvictionPolicy,
} from "@linefleet/queue";
import { openSpool } from "@linefleet/spool";
import type { WebhookEvent } from "@linefleet/webhook";
import { buildApp, type WebhookRoute } from "./app.ts";
import { ingressEnvSchema } from "./env.ts";
import { loadTls } from "./tls.ts";

// Every problem of the environment and of the channels at once, not the first one found.
const { env, channels } = exitOnConfigError(() =>
  configureAll({
    env: () => parseEnv(ingressEnvSchema),
    channels: () => loadChannels(process.env, { needs: { secret: true, token: false } }),
  }),
);
const logger = createLogger({ name: "ingress", level: env.LOG_LEVEL });
const redis = createProducerConnection({
  url: env.REDIS_URL,
  clusterNodes: env.REDIS_CLUSTER_NODES,
});
// A message, not a stack trace: while Redis is away this repeats on every reconnect attempt.
redis.on("error", (error) => logger.warn({ reason: error.message }, "redis connection error"));
const keys = redisKeys(env.QUEUE_PREFIX, {
  shards: env.QUEUE_SHARDS,
  cluster: env.REDIS_CLUSTER_NODES !== undefined,
});
const enqueuer = createEventEnqueuer({
  connection: redis,
  keys,
  dedupeTtlMs: env.DEDUPE_TTL_MS,
});
const shardCountChecked = checkShardCount();
const registry = createRegistry();
const metrics = createIngressMetrics(registry);
const allowEvicting = env.ALLOW_EVICTING_REDIS;
watchEvictionPolicy(redis, { allowEvicting, logger });
// Unreadable TLS files are the operator's to fix: the message, not a stack trace.
const tls = await loadTls(env, logger).catch(exitWithConfigError);

/** Enqueues a request's events once the shard count is known to match, and counts them. */
async function enqueue(
  channel: string,
  destination: string,
  events: WebhookEvent[],
  receivedAt: number,
) {
  await shardCountChecked;
  metrics.eventsAdmitted(channel, await enqueuer.enqueue(destination, events, receivedAt, channel));
}

interface SpooledRequest {
  channel: string;
  destination: string;
  events: WebhookEvent[];
  receivedAt: number;
}
// Replays go through the normal enqueue, which refuses an event it already holds: an event both
// spooled and (late) enqueued is queued once.
const spool = env.INGRESS_SPOOL_DIR
  ? await openSpool<SpooledRequest>({
      dir: env.INGRESS_SPOOL_DIR,
      maxBytes: env.INGRESS_SPOOL_MAX_BYTES,
      logger,
      replay: async (requests) => {
        await withTimeout(
          Promise.all(
            requests.map((request) =>
              enqueue(
                request.channel,
                request.destination,
                request.events,
                request.receivedAt,
              ).catch((error: unknown) => {
                // Events Redis can never take would hold up the journal forever: dropped, loudly.
                if (!(error instanceof EventsNotStorableError)) throw error;
                logger.error(
                  { err: error, channel: request.channel },
                  "spooled events cannot be stored; dropped",
                );
              }),
            ),
          ),
          env.ENQUEUE_TIMEOUT_MS,
          "spool replay",
        );
      },
    })
  : undefined;

// Each channel's requests are checked with its own secret and must be addressed to its own bot.
const webhooks: Record<string, WebhookRoute> = {};
for (const channel of channels) {
  const guard = createDestinationGuard({
    redis,
    keys,
    channel: channel.name,
    botUserId: channel.botUserId,
  });
  const handler = createWebhookHandler({
    channelSecret: channel.channelSecret,
    enqueueTimeoutMs: env.ENQUEUE_TIMEOUT_MS,
    checkDestination: guard.check,
    enqueue: (envelope, receivedAt) =>
      enqueue(channel.name, envelope.destination, envelope.events, receivedAt),
    spool: spool && {
      get spooling() {
        return spool.spooling;
      },
      append: (envelope, receivedAt) =>
        spool.append({
          channel: channel.name,
          destination: envelope.destination,
          events: envelope.events,
          receivedAt,
        }),
    },
    onEnqueueError: (error, fallback) => {
      if (fallback === "spooled")
        logger.debug({ err: error, channel: channel.name }, "enqueue failed; spooled");
      else
        logger.error(
          { err: error, channel: channel.name },
          "enqueue failed; answered 503 (400 if the events cannot be stored)",
        );
    },
    onSpoolError: (error) =>
      logger.error({ err: error, channel: channel.name, spool: spool?.stats() }, "spool refused"),
  });
  for (const path of webhookPathsOf(channel)) {
    webhooks[path] = { channel: channel.name, handle: handler };
  }
}

const app = buildApp({
  logger,
  bodyLimit: env.WEBHOOK_BODY_LIMIT,
  webhooks,
  checkReady: async () => {
    await withTimeout(
      assertRedisKeepsKeys(redis, { allowEvicting }),
      env.ENQUEUE_TIMEOUT_MS,
      "Redis readiness check",
    );
  },
  metrics: { registry, observe: metrics },
  ...(env.DASHBOARD_USER && env.DASHBOARD_PASSWORD
    ? {
        dashboard: {
          connection: redis,
          queuePrefix: env.QUEUE_PREFIX,
          credentials: { user: env.DASHBOARD_USER, password: env.DASHBOARD_PASSWORD },
        },
      }
    : {}),
  ...(tls ? { tls } : {}),
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  // Stop accepting webhooks first (in-flight ones finish, within the grace period; after it, the
  // connections still open are cut: their senders get no 200, so LINE redelivers), then Redis.
  const cut = setTimeout(() => app.server.closeAllConnections(), env.SHUTDOWN_GRACE_MS);
  await app.close();
  clearTimeout(cut);
  // What the spool cannot replay within the grace period stays in its journal for the next start.
  await spool?.close(env.SHUTDOWN_GRACE_MS);
  await enqueuer.close();
  redis.disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// A port in use is the operator's to fix: one line naming it, not a stack trace.
await app.listen({ port: env.PORT, host: env.HOST }).catch((error: Error) => {
  process.stderr.write(
    `ingress: cannot listen on ${env.HOST}:${env.PORT} (PORT): ${error.message}\n`,
  );
  process.exit(1);
});
logger.info({ webhooks: Object.keys(webhooks) }, "serving webhooks");

/**
 * Refuses to run on a queue created with another QUEUE_SHARDS. Redis may be away at start (then
 * the spool takes the webhooks), so this waits for it in the background; nothing is written to a
 * queue before it passes.
 */
async function checkShardCount() {
  for (let attempt = 0; ; attempt++) {
    try {
      // The producer connection has no offline queue: a command sent while it is still
      // connecting fails at once ("Stream isn't writeable…"), so wait until it is ready. A
      // connection error rejects this wait and is retried below.
      if (redis.status !== "ready") await once(redis, "ready");
      await assertShardCount(redis, keys);
      return;
    } catch (error) {
      if (error instanceof ShardCountMismatchError) {
        logger.fatal(error.message);
        process.exit(78);
      }
      // The reason, not a stack trace: it repeats for as long as Redis is away.
      if (attempt % 20 === 0)
        logger.warn(
          { reason: (error as Error).message },
          "waiting for Redis to check QUEUE_SHARDS",
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
