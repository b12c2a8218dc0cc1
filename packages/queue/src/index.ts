export { type LineEventJob, lineEventJobSchema, lineEventsQueue } from "./catalog.ts";
export { createProducerConnection, createWorkerConnection } from "./connection.ts";
export {
  createEventEnqueuer,
  type EnqueueReport,
  type EventEnqueuer,
  type EventEnqueuerOptions,
} from "./enqueue.ts";
export { jobIdFor, LEAVE_LANE, laneKey, laneOf, TAKE_TURN, turnWaitKey } from "./lanes.ts";
export {
  createQueueDepthReader,
  type QueueDepth,
  type QueueState,
  queueStates,
} from "./queue-depth.ts";
export { defineScript, type RedisScript, type ScriptArg } from "./scripts.ts";
