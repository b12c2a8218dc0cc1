export { type LineEventJob, lineEventJobSchema, lineEventsQueue } from "./catalog.ts";
export {
  type ClusterSeed,
  createProducerConnection,
  createWorkerConnection,
  type RedisConnection,
  type RedisTarget,
} from "./connection.ts";
export { createConversationCounter } from "./conversation-count.ts";
export {
  createEventEnqueuer,
  DEFAULT_WRITE_BATCH_MAX,
  DEFAULT_WRITE_WINDOW_MS,
  type EnqueueReport,
  EVENTS_PER_TRANSACTION,
  type EventEnqueuer,
  type EventEnqueuerOptions,
  EventsNotStorableError,
  ReplicasNotConfirmedError,
} from "./enqueue.ts";
export { openEventsQueue } from "./events-queue.ts";
export {
  assertRedisKeepsKeys,
  checkEvictionPolicy,
  type EvictionPolicyVerdict,
  type EvictionPolicyWatch,
  judgeEvictionPolicy,
  RedisMayEvictError,
  readEvictionPolicy,
  watchEvictionPolicy,
} from "./eviction-policy.ts";
export { hasDedupeMark } from "./has-dedupe-mark.ts";
export {
  createQueueDepthReader,
  type QueueDepth,
  type QueueState,
  queueStates,
} from "./queue-depth.ts";
export {
  CAMPAIGN_CHUNK_BEGIN,
  CAMPAIGN_CHUNK_SETTLE,
  CAMPAIGN_RECORD_TTL_SECONDS,
  CAMPAIGN_REOPEN,
  CAMPAIGN_TRANSITION,
  CAMPAIGNS_QUEUE_NAME,
  type CampaignKeys,
  campaignKeys,
} from "./redis-model/campaigns.ts";
export {
  BEGIN_EVENT,
  BEGIN_SCHEDULED,
  CANCEL_SCHEDULED,
  DEAD_LETTER_TTL_SECONDS,
  DEDUPE_MARK_BUCKETS,
  DEFAULT_DEDUPE_TTL_MS,
  DONE_GRACE_SECONDS,
  dedupeIdFor,
  eventKeyOf,
  FINISH_EVENT,
  FINISH_SCHEDULED,
  hashTag,
  jobIdFor,
  LANE_TTL_SECONDS,
  LEDGER_TTL_SECONDS,
  laneOf,
  MESSAGE_LOG_TTL_SECONDS,
  NO_TIMESTAMP_SECOND,
  PROFILE_TTL_SECONDS,
  RATE_ACQUIRE,
  type RedisKeys,
  type RedisKeysOptions,
  redisKeys,
  SCHEDULE_ITEM,
  SCHEDULED_DONE_TTL_SECONDS,
  SCHEDULED_STATE_GRACE_SECONDS,
  type ScriptSpec,
  SESSION_COMMIT,
  SESSION_TTL_SECONDS,
  type ShardLayout,
  type ShardLayoutOptions,
  STEP_ASIDE,
  shardLayout,
  shareConcurrency,
  TOKEN_INVALIDATE,
  TOKEN_LOCK_RELEASE,
  tokenTtlMs,
} from "./redis-model/keys.ts";
export { createScheduledDepthReader } from "./scheduled-depth.ts";
export { defineScript, type RedisScript, type ScriptArg } from "./scripts.ts";
export {
  checkShardCountOrExit,
  recordedKeys,
  SHARD_COUNT_MISMATCH_EXIT_CODE,
  type ShardCountCheckOptions,
  ShardCountMismatchError,
} from "./shard-count.ts";
