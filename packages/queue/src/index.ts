export { type LineEventJob, lineEventJobSchema, lineEventsQueue } from "./catalog.ts";
export { createProducerConnection, createWorkerConnection } from "./connection.ts";
export {
  createEventEnqueuer,
  type EventEnqueuer,
  type EventEnqueuerOptions,
} from "./enqueue.ts";
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
export { jobIdFor, LEAVE_LANE, laneKey, laneOf, TAKE_TURN, turnWaitKey } from "./lanes.ts";
export { defineScript, type RedisScript, type ScriptArg } from "./scripts.ts";
