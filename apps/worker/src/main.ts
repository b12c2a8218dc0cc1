import { parseEnv } from "@linefleet/config";
import { createLineClient, useLineDispatcher, withRateLimit } from "@linefleet/line-client";
import { createLogger } from "@linefleet/log";
import { createWorkerConnection, redisKeys } from "@linefleet/queue";
import { createEventWorker, createRedisLedger, createRedisRateLimiter } from "@linefleet/worker";
import { workerEnvSchema } from "./env.ts";
import { loadBot } from "./load-bot.ts";

const env = parseEnv(workerEnvSchema);
const logger = createLogger({ name: "worker", level: env.LOG_LEVEL });
const redis = createWorkerConnection({ url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES });
redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
const keys = redisKeys(env.QUEUE_PREFIX);

// Every LINE call (the SDK's included) goes through one keep-alive pool with network timeouts.
const lineDispatcher = useLineDispatcher({
  headersTimeoutMs: env.LINE_API_HEADERS_TIMEOUT_MS ?? env.LINE_API_TIMEOUT_MS,
  bodyTimeoutMs: env.LINE_API_BODY_TIMEOUT_MS ?? env.LINE_API_TIMEOUT_MS,
  connections: env.LINE_API_CONNECTIONS,
});
const lineClient = createLineClient({
  channelAccessToken: env.LINE_CHANNEL_ACCESS_TOKEN,
  apiBaseUrl: env.LINE_API_BASE_URL,
  dataApiBaseUrl: env.LINE_DATA_API_BASE_URL,
  timeoutMs: env.LINE_API_TIMEOUT_MS,
});
const rateLimiter =
  env.LINE_RATE_LIMIT_PER_SECOND > 0
    ? createRedisRateLimiter(redis, keys.rateLimit("line-api"), {
        perSecond: env.LINE_RATE_LIMIT_PER_SECOND,
      })
    : undefined;

const worker = createEventWorker({
  connection: redis,
  keys,
  bot: await loadBot(env.BOT_MODULE),
  client: rateLimiter ? withRateLimit(lineClient, rateLimiter.acquire) : lineClient,
  ledger: createRedisLedger(redis, keys),
  logger,
  concurrency: env.WORKER_CONCURRENCY,
  replyTokenMaxAgeMs: env.REPLY_TOKEN_MAX_AGE_MS,
  pushAfterUnknownReply: env.PUSH_AFTER_UNKNOWN_REPLY,
  laneMaxWaitMs: env.LANE_MAX_WAIT_MS,
  lockDurationMs: env.WORKER_LOCK_DURATION_MS,
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: finishing in-flight events");
  // close() stops taking jobs and waits for the running ones; past the grace period, leave them:
  // their locks expire and another worker takes them over, the ledger preventing doubles.
  const closed = worker.close().then(() => true);
  const graceOver = new Promise<boolean>((resolve) =>
    setTimeout(() => resolve(false), env.SHUTDOWN_GRACE_MS).unref(),
  );
  const clean = await Promise.race([closed, graceOver]);
  if (!clean) logger.warn("grace period over; in-flight events left to other workers");
  redis.disconnect();
  await lineDispatcher.close().catch(() => {});
  process.exit(clean ? 0 : 1);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

await worker.waitUntilReady();
logger.info({ concurrency: env.WORKER_CONCURRENCY, queue: env.QUEUE_PREFIX }, "worker ready");
