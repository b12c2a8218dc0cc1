import type { AddressInfo } from "node:net";
import { loadChannels, webhookPathsOf } from "@linefleet/channels";
import {
  ConfigError,
  configureAll,
  exitOnConfigError,
  exitWithConfigError,
  parseEnv,
} from "@linefleet/config";
import {
  createWebhookHandler,
  destinationGuardFor,
  ingressEnvSchema,
  maxEventAgeOf,
  openRequestSpool,
  reportStaleEvents,
} from "@linefleet/ingress";
import { createLogger } from "@linefleet/log";
import { createIngressMetrics, createRegistry, serveMetrics } from "@linefleet/metrics";
import { SpoolDirectoryError } from "@linefleet/spool";
import {
  assertRedisKeepsKeys,
  checkShardCountOrExit,
  createEventEnqueuer,
  createProducerConnection,
  redisKeys,
  watchEvictionPolicy,
} from "@linefleet/store";
import type { WebhookEvent } from "@linefleet/webhook";
import { buildApp, type WebhookRoute } from "./app.ts";
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
  minReplicas: env.INGRESS_MIN_REPLICAS,
  // Half the request's bound for the replicas: a missing replica is then answered (and logged)
  // as such, well before the handler's own timeout would answer 503 with a vaguer reason.
  replicaTimeoutMs: Math.max(1, Math.floor(env.ENQUEUE_TIMEOUT_MS / 2)),
  writeWindowMs: env.INGRESS_WRITE_WINDOW_MS,
  writeBatchMax: env.INGRESS_WRITE_BATCH_MAX,
  // A call unanswered this long no longer holds back its shard: its requests were answered anyway.
  callTimeoutMs: env.ENQUEUE_TIMEOUT_MS,
});
// Another BullMQ than the one whose add script linefleet wraps: every write would fail, so the
// ingress stops at start, saying why, rather than answer 503 forever.
enqueuer.ready().catch((error: Error) => {
  logger.fatal({ reason: error.message }, "cannot write events with the installed BullMQ");
  process.exit(1);
});
// Redis may be away at start (then the spool takes the webhooks), so the check waits for it in
// the background; nothing is written to a queue before it passes.
const shardCountChecked = checkShardCountOrExit(redis, keys, {
  onMismatch: (error) => logger.fatal(error.message),
  // The reason, not a stack trace: it repeats for as long as Redis is away.
  whileUnreachable: (error, attempt) => {
    if (attempt % 20 === 0)
      logger.warn({ reason: (error as Error).message }, "waiting for Redis to check QUEUE_SHARDS");
  },
});
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

// Replays go through the normal enqueue, which refuses an event it already holds: an event both
// spooled and (late) enqueued is queued once. An unsafe directory is the operator's to fix.
const requestSpool = env.INGRESS_SPOOL_DIR
  ? await openRequestSpool({
      dir: env.INGRESS_SPOOL_DIR,
      maxBytes: env.INGRESS_SPOOL_MAX_BYTES,
      channels,
      enqueue: (request) =>
        enqueue(request.channel, request.destination, request.events, request.receivedAt),
      enqueueTimeoutMs: env.ENQUEUE_TIMEOUT_MS,
      logger,
    }).catch((error: unknown) => {
      if (!(error instanceof SpoolDirectoryError)) throw error;
      return exitWithConfigError(new ConfigError([`INGRESS_SPOOL_DIR: ${error.message}`]));
    })
  : undefined;
const spool = requestSpool?.spool;

// Each channel's requests are checked with its own secret and must be addressed to its own bot.
const webhooks: Record<string, WebhookRoute> = {};
for (const channel of channels) {
  const guard = destinationGuardFor(channel, {
    redis,
    keys,
    apiBaseUrl: env.LINE_API_BASE_URL,
    logger,
  });
  const handler = createWebhookHandler({
    channelSecret: channel.channelSecret,
    enqueueTimeoutMs: env.ENQUEUE_TIMEOUT_MS,
    maxEventAgeMs: maxEventAgeOf(env),
    onStaleEvents: reportStaleEvents(channel.name, { metrics, logger }),
    checkDestination: guard.check,
    enqueue: (envelope, receivedAt) =>
      enqueue(channel.name, envelope.destination, envelope.events, receivedAt),
    spool: requestSpool?.forChannel(channel.name),
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

const checkReady = async () => {
  await assertRedisKeepsKeys(redis, { allowEvicting });
};
const app = buildApp({
  logger,
  bodyLimit: env.WEBHOOK_BODY_LIMIT,
  webhooks,
  checkReady,
  readyTimeoutMs: env.ENQUEUE_TIMEOUT_MS,
  spoolProblem: () => spool?.stats().problem,
  metrics: { registry, observe: metrics, elsewhere: env.INGRESS_METRICS_PORT !== undefined },
  ...(env.DASHBOARD_USER && env.DASHBOARD_PASSWORD
    ? {
        dashboard: {
          connection: redis,
          keys,
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
  metricsServer?.close();
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
// INGRESS_METRICS_PORT: the metrics on a port of their own, which need not be public.
const metricsServer =
  env.INGRESS_METRICS_PORT === undefined
    ? undefined
    : await serveMetrics({
        registry,
        port: env.INGRESS_METRICS_PORT,
        host: env.INGRESS_METRICS_HOST ?? env.HOST,
        checkReady,
        readyTimeoutMs: env.ENQUEUE_TIMEOUT_MS,
        logger,
        spoolProblem: () => spool?.stats().problem,
      }).catch((error: Error) => {
        process.stderr.write(
          `ingress: cannot serve metrics on INGRESS_METRICS_PORT ${env.INGRESS_METRICS_PORT}: ${error.message}\n`,
        );
        process.exit(1);
      });
logger.info(
  {
    webhooks: Object.keys(webhooks),
    ...(metricsServer ? { metricsPort: (metricsServer.address() as AddressInfo).port } : {}),
  },
  "serving webhooks",
);
