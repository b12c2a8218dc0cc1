export { type LineEventJob, lineEventJobSchema, lineEventsQueue } from "./catalog.ts";
export {
  chatTag,
  MESSAGE_LOG_TTL_SECONDS,
  messageLogKey,
  PROFILE_TTL_SECONDS,
  profileKey,
  SESSION_TTL_SECONDS,
  sessionKey,
} from "./chat-keys.ts";
export { createProducerConnection, createWorkerConnection } from "./connection.ts";
export {
  createEventEnqueuer,
  type EventEnqueuer,
  type EventEnqueuerOptions,
} from "./enqueue.ts";
export { jobIdFor, LEAVE_LANE, laneKey, laneOf, TAKE_TURN, turnWaitKey } from "./lanes.ts";
export { defineScript, type RedisScript, type ScriptArg } from "./scripts.ts";
