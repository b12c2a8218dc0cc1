import type { AddressInfo } from "node:net";
import { createCampaignProcessor } from "@linefleet/campaigns";
import { loadChannels } from "@linefleet/channels";
import {
  configureAll,
  exitOnConfigError,
  exitWithConfigError,
  parseEnv,
  workerEnvSchema,
} from "@linefleet/config";
import {
  createChannelResolver,
  createEventWorker,
  createRecurringWorker,
  describeSchedule,
} from "@linefleet/delivery";
import { useLineDispatcher } from "@linefleet/line-client";
import { createLogger } from "@linefleet/log";
import {
  createCampaignMetrics,
  createRegistry,
  createWorkerMetrics,
  registerConversationGauge,
  registerQueueGauges,
  registerScheduleGauges,
  serveMetrics,
} from "@linefleet/metrics";
import {
  assertRedisKeepsKeys,
  checkShardCountOrExit,
  createConversationCounter,
  createQueueDepthReader,
  createScheduledDepthReader,
  createWorkerConnection,
  redisKeys,
  shareConcurrency,
  watchEvictionPolicy,
} from "@linefleet/store";
import { loadBot } from "./load-bot.ts";

// Every problem of the environment and of the channels at once, not the first one found.
const { env, channels } = exitOnConfigError(() =>
  configureAll({
    env: () => parseEnv(workerEnvSchema),
    channels: () => loadChannels(process.env, { needs: { secret: false, token: true } }),
  }),
);
const logger = createLogger({ name: "worker", level: env.LOG_LEVEL });
const redis = createWorkerConnection({ url: env.REDIS_URL, clusterNodes: env.REDIS_CLUSTER_NODES });
// A message, not a stack trace: while Redis is away this repeats on every reconnect attempt.
redis.on("error", (error) => logger.warn({ reason: error.message }, "redis connection error"));
// Logged as an error at start and after each reconnect when Redis may evict queued events (the
// metrics server's /readyz checks it again on every probe).
const redisPolicy = watchEvictionPolicy(redis, {
  allowEvicting: env.ALLOW_EVICTING_REDIS,
  logger,
});
const keys = redisKeys(env.QUEUE_PREFIX, {
  shards: env.QUEUE_SHARDS,
  cluster: env.REDIS_CLUSTER_NODES !== undefined,
});

// Every LINE call goes through one keep-alive pool with network timeouts: reply and push directly,
// the SDK's other calls as the global dispatcher of its `fetch`.
const lineDispatcher = useLineDispatcher({
  headersTimeoutMs: env.LINE_API_HEADERS_TIMEOUT_MS ?? env.LINE_API_TIMEOUT_MS,
  bodyTimeoutMs: env.LINE_API_BODY_TIMEOUT_MS ?? env.LINE_API_TIMEOUT_MS,
  connections: env.LINE_API_CONNECTIONS,
});
// Each channel's LINE client, with its own token (renewed fleet-wide when managed) and rate limit.
const resolver = exitOnConfigError(() =>
  createChannelResolver(channels, {
    redis,
    keys,
    logger,
    apiBaseUrl: env.LINE_API_BASE_URL,
    dataApiBaseUrl: env.LINE_DATA_API_BASE_URL,
    timeoutMs: env.LINE_API_TIMEOUT_MS,
    rateLimitPerSecond: env.LINE_RATE_LIMIT_PER_SECOND,
    dispatcher: lineDispatcher,
  }),
);

const registry = createRegistry();
registerQueueGauges(registry, { readDepth: createQueueDepthReader(redis, keys) });
registerScheduleGauges(registry, { readPending: createScheduledDepthReader(redis, keys) });
registerConversationGauge(registry, { countActive: createConversationCounter(redis, keys) });
const observe = createWorkerMetrics(registry);

const bot = await loadBot(env.BOT_MODULE).catch(exitWithConfigError);
// After the configuration's own checks (which need no Redis), and before touching a queue.
await checkShardCountOrExit(redis, keys, { onMismatch: (error) => logger.fatal(error.message) });
// One BullMQ worker per shard, each with an equal share of the process's concurrency.
const shards = env.WORKER_SHARDS ?? keys.layout.shards;
const shares = shareConcurrency(env.WORKER_CONCURRENCY, shards.length);
const workers = shards.map((shard, index) =>
  createEventWorker({
    connection: redis,
    keys,
    shard,
    bot,
    channels: resolver,
    logger,
    concurrency: shares[index] ?? 1,
    replyTokenMaxAgeMs: env.REPLY_TOKEN_MAX_AGE_MS,
    pushAfterUnknownReply: env.PUSH_AFTER_UNKNOWN_REPLY,
    laneMaxWaitMs: env.LANE_MAX_WAIT_MS,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    observe,
  }),
);
// The bot's recurring jobs (`bot.every`): one queue of ticks, each run once fleet-wide.
const recurring = createRecurringWorker({
  connection: redis,
  keys,
  bot,
  channels: resolver,
  defaultChannel: channels[0]?.name ?? "default",
  logger,
  observe: (job, outcome) => observe.recurringRun(job, outcome),
});
// Campaigns are sent by the workers, so one goes on when the command that started it is gone.
const campaigns = createCampaignProcessor({
  connection: redis,
  keys,
  async clientOf(channel) {
    const resolved = await resolver.resolve({ channel, destination: "" });
    return { name: resolved.channel.name, client: resolved.client };
  },
  logger: logger.child({ component: "campaigns" }),
  limits: {
    multicastPerSecond: env.CAMPAIGN_MULTICAST_PER_SECOND,
    narrowcastPerHour: env.CAMPAIGN_NARROWCAST_PER_HOUR,
    broadcastPerHour: env.CAMPAIGN_BROADCAST_PER_HOUR,
  },
  concurrency: env.CAMPAIGN_CONCURRENCY,
  lockDurationMs: env.WORKER_LOCK_DURATION_MS,
  timeoutMs: env.LINE_API_TIMEOUT_MS,
  observe: createCampaignMetrics(registry),
});
const metricsServer = await serveMetrics({
  registry,
  port: env.METRICS_PORT,
  host: env.METRICS_HOST,
  // The worker's connection never gives up on a command; serveMetrics bounds the wait.
  checkReady: async () => {
    await assertRedisKeepsKeys(redis, { allowEvicting: env.ALLOW_EVICTING_REDIS });
  },
  logger,
}).catch((error: unknown) => {
  // A port in use is the operator's to fix: one line naming the variable, not a stack trace.
  process.stderr.write(
    `worker: cannot serve metrics on ${env.METRICS_HOST}:${env.METRICS_PORT} (METRICS_PORT): ${(error as Error).message}\n`,
  );
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: finishing in-flight events");
  // close() stops taking jobs and waits for the running ones; past the grace period, leave them:
  // their locks expire and another worker takes them over, the ledger preventing doubles.
  const closed = Promise.all([
    ...workers.map((worker) => worker.close()),
    recurring.close(),
    campaigns.close(),
  ]).then(() => true);
  const graceOver = new Promise<boolean>((resolve) =>
    setTimeout(() => resolve(false), env.SHUTDOWN_GRACE_MS).unref(),
  );
  const clean = await Promise.race([closed, graceOver]);
  if (!clean) logger.warn("grace period over; in-flight events left to other workers");
  metricsServer.close();
  redis.disconnect();
  await lineDispatcher.close().catch(() => {});
  process.exit(clean ? 0 : 1);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

await resolver.warmUp();
await Promise.all([...workers, campaigns].map((worker) => worker.waitUntilReady()));
// Every worker makes the job schedulers its bot's: a deploy changes or removes them as declared.
const recurringJobs = await recurring.reconcile();
const { policy } = await redisPolicy.check();
logger.info(
  {
    concurrency: env.WORKER_CONCURRENCY,
    queue: env.QUEUE_PREFIX,
    shards,
    metricsPort: (metricsServer.address() as AddressInfo).port,
    redisMaxmemoryPolicy: policy,
    channels: channels.map((channel) => `${channel.name} (${channel.token.kind} token)`),
    // What `linefleet dev` lists: each recurring job and its schedule.
    recurringJobs: recurringJobs.map((job) => `${job.name}: ${describeSchedule(job.schedule)}`),
  },
  "worker ready",
);
