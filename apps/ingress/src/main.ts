import { loadChannels, webhookPathsOf } from "@linefleet/channels";
import { configureAll, exitOnConfigError, exitWithConfigError, parseEnv } from "@linefleet/config";
import { createDestinationGuard, createWebhookHandler, withTimeout } from "@linefleet/ingress";
import { createLogger } from "@linefleet/log";
import { createIngressMetrics, createRegistry } from "@linefleet/metrics";
import {
  assertRedisKeepsKeys,
  createEventEnqueuer,
  createProducerConnection,
  redisKeys,
  watchEvictionPolicy,
} from "@linefleet/queue";
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
const redis = createProducerConnection(env.REDIS_URL);
// A message, not a stack trace: while Redis is away this repeats on every reconnect attempt.
redis.on("error", (error) => logger.warn({ reason: error.message }, "redis connection error"));
const keys = redisKeys(env.QUEUE_PREFIX);
const enqueuer = createEventEnqueuer({
  connection: redis,
  prefix: env.QUEUE_PREFIX,
  dedupeTtlMs: env.DEDUPE_TTL_MS,
});
const registry = createRegistry();
const metrics = createIngressMetrics(registry);
const allowEvicting = env.ALLOW_EVICTING_REDIS;
watchEvictionPolicy(redis, { allowEvicting, logger });
// Unreadable TLS files are the operator's to fix: the message, not a stack trace.
const tls = await loadTls(env, logger).catch(exitWithConfigError);

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
    enqueue: async (envelope, receivedAt) => {
      const report = await enqueuer.enqueue(
        envelope.destination,
        envelope.events,
        receivedAt,
        channel.name,
      );
      metrics.eventsAdmitted(channel.name, report);
    },
    onEnqueueError: (error) =>
      logger.error(
        { err: error, channel: channel.name },
        "enqueue failed; answered 503 (400 if the events cannot be stored)",
      ),
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
  await enqueuer.close();
  redis.disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// A port in use is the operator's to fix: one line naming it, not a stack trace.
await app.listen({ port: env.PORT, host: env.HOST }).catch((error: Error) => {
  process.stderr.write(`ingress: cannot listen on ${env.HOST}:${env.PORT}: ${error.message}\n`);
  process.exit(1);
});
logger.info({ webhooks: Object.keys(webhooks) }, "serving webhooks");
