import { loadChannels, webhookPathsOf } from "@linefleet/channels";
import { exitOnConfigError, parseEnv } from "@linefleet/config";
import { createDestinationGuard, createWebhookHandler, withTimeout } from "@linefleet/ingress";
import { createLogger } from "@linefleet/log";
import { createEventEnqueuer, createProducerConnection } from "@linefleet/queue";
import { buildApp, type WebhookHandler } from "./app.ts";
import { ingressEnvSchema } from "./env.ts";

const { env, channels } = exitOnConfigError(() => ({
  env: parseEnv(ingressEnvSchema),
  channels: loadChannels(process.env, { needs: { secret: true, token: false } }),
}));
const logger = createLogger({ name: "ingress", level: env.LOG_LEVEL });
const redis = createProducerConnection(env.REDIS_URL);
redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
const enqueuer = createEventEnqueuer({ connection: redis, prefix: env.QUEUE_PREFIX });

// Each channel's requests are checked with its own secret and must be addressed to its own bot.
const webhooks: Record<string, WebhookHandler> = {};
for (const channel of channels) {
  const guard = createDestinationGuard({
    redis,
    prefix: env.QUEUE_PREFIX,
    channel: channel.name,
    botUserId: channel.botUserId,
  });
  const handler = createWebhookHandler({
    channelSecret: channel.channelSecret,
    enqueueTimeoutMs: env.ENQUEUE_TIMEOUT_MS,
    checkDestination: guard.check,
    enqueue: (envelope, receivedAt) =>
      enqueuer.enqueue(envelope.destination, envelope.events, receivedAt, channel.name),
    onEnqueueError: (error) =>
      logger.error({ err: error, channel: channel.name }, "enqueue failed; answered 503"),
  });
  for (const path of webhookPathsOf(channel)) webhooks[path] = handler;
}

const app = buildApp({
  logger,
  bodyLimit: env.WEBHOOK_BODY_LIMIT,
  webhooks,
  checkReady: async () => {
    await withTimeout(redis.ping(), env.ENQUEUE_TIMEOUT_MS, "Redis PING");
  },
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

await app.listen({ port: env.PORT, host: env.HOST });
logger.info({ webhooks: Object.keys(webhooks) }, "serving webhooks");
