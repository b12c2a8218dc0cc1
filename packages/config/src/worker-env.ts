import { z } from "zod";
import { env, lineApiEnv, logEnv, redisEnv } from "./fields.ts";

/** `0,2,4`: shard indexes. */
const shardList = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "expected shard numbers, comma-separated (e.g. 0,2,4)")
  .transform((value) => [...new Set(value.split(",").map((entry) => Number(entry.trim())))]);

/**
 * What a worker process reads (the worker process, and the doctor judging its configuration).
 * The channels themselves (CHANNELS_FILE, or LINE_CHANNEL_ACCESS_TOKEN) are read by @linefleet/channels. */
export const workerEnvSchema = z
  .object({
    ...lineApiEnv,
    ...redisEnv,
    ...logEnv,
    /** Events one worker process handles at once. */
    WORKER_CONCURRENCY: env.int(16, 1),
    /**
     * A reply token older than this (from the event's timestamp) is not used: the answer is pushed.
     * LINE documents one minute and guarantees nothing; older reports saw about 30 s.
     */
    REPLY_TOKEN_MAX_AGE_MS: env.ms(50_000),
    /** Push after a reply whose outcome is unknown (it may then be seen twice). */
    PUSH_AFTER_UNKNOWN_REPLY: env.flag(false),
    /** A LINE API call that takes longer has an unknown outcome. */
    LINE_API_TIMEOUT_MS: env.ms(10_000),
    /** How long LINE may take to start answering before the socket is dropped (default: LINE_API_TIMEOUT_MS). */
    LINE_API_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
    /** How long a LINE response body may stay idle before the socket is dropped (default: LINE_API_TIMEOUT_MS). */
    LINE_API_BODY_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
    /** Keep-alive sockets per LINE host, shared by every call of the process. */
    LINE_API_CONNECTIONS: env.int(64, 1),
    /** How long an event waits behind an earlier, still pending event of its chat before going ahead. */
    LANE_MAX_WAIT_MS: env.ms(30_000),
    /** How long a job's lock lasts; a crashed worker's events are taken over after about this. */
    WORKER_LOCK_DURATION_MS: env.int(30_000, 1_000),
    /** Calls per second to LINE's API from the whole fleet, per channel (LINE allows 2,000/s for reply and push); 0 = no limit. */
    LINE_RATE_LIMIT_PER_SECOND: env.int(1_000, 0),
    /** How long SIGTERM waits for in-flight events before closing. */
    SHUTDOWN_GRACE_MS: env.ms(10_000),
    /** Port of the worker's own HTTP server: GET /metrics, /healthz, /readyz. */
    METRICS_PORT: env.port(9464),
    METRICS_HOST: z.string().default("0.0.0.0"),
    /** Which bot to run: the module's default export or `bot` export must be a Bot. */
    BOT_MODULE: z.string().optional(),
    /** Campaign sends one worker process makes at once. */
    CAMPAIGN_CONCURRENCY: env.int(8, 1),
    /** Multicasts per second per channel from the whole fleet (LINE allows 200/s). */
    CAMPAIGN_MULTICAST_PER_SECOND: env.int(200, 1),
    /** Narrowcasts per hour per channel from the whole fleet (LINE allows 60/hour). */
    CAMPAIGN_NARROWCAST_PER_HOUR: env.int(60, 1),
    /** Broadcasts per hour per channel from the whole fleet (LINE allows 60/hour). */
    CAMPAIGN_BROADCAST_PER_HOUR: env.int(60, 1),
    /** The shards this worker consumes (default: every shard of QUEUE_SHARDS). */
    WORKER_SHARDS: shardList.optional(),
  })
  .superRefine((env, context) => {
    const beyond = env.WORKER_SHARDS?.filter((shard) => shard >= env.QUEUE_SHARDS) ?? [];
    if (beyond.length > 0) {
      context.addIssue({
        code: "custom",
        path: ["WORKER_SHARDS"],
        message: `shards are numbered 0 to ${env.QUEUE_SHARDS - 1} (QUEUE_SHARDS=${env.QUEUE_SHARDS}); no ${beyond.join(", ")}`,
      });
    }
  });

export type WorkerEnv = z.infer<typeof workerEnvSchema>;
