export { type LineEventJob, lineEventJobSchema, lineEventsQueue } from "./catalog.ts";
export {
  type ClusterSeed,
  createProducerConnection,
  createWorkerConnection,
  type RedisConnection,
  type RedisTarget,
} from "./connection.ts";
export {
  createEventEnqueuer,
  type EnqueueReport,
  type EventEnqueuer,
  type EventEnqueuerOptions,
} from "./enqueue.ts";
export {
  createQueueDepthReader,
  type QueueDepth,
  type QueueState,
  queueStates,
} from "./queue-depth.ts";
export {
  ADMIT_TO_LANE,
  DEFAULT_DEDUPE_TTL_MS,
  EVENTS_QUEUE_NAME,
  hashTag,
  jobIdFor,
  LANE_TTL_SECONDS,
  LEAVE_LANE,
  LEDGER_CLAIM,
  LEDGER_RECORD,
  LEDGER_TTL_SECONDS,
  laneOf,
  MESSAGE_LOG_TTL_SECONDS,
  PROFILE_TTL_SECONDS,
  RATE_ACQUIRE,
  type RedisKeys,
  type RedisKeysOptions,
  redisKeys,
  type ScriptSpec,
  SESSION_COMMIT,
  SESSION_TTL_SECONDS,
  type ShardLayout,
  type ShardLayoutOptions,
  shardLayout,
  shareConcurrency,
  TAKE_TURN,
  TOKEN_EXPIRY_MARGIN_SECONDS,
  tokenTtlSeconds,
} from "./redis-model/keys.ts";
export { defineScript, type RedisScript, type ScriptArg } from "./scripts.ts";
export { assertShardCount, ShardCountMismatchError } from "./shard-count.ts";
