export { retryDelayMs } from "./backoff.ts";
export { createEventWorker, type EventWorkerOptions } from "./event-worker.ts";
export { createRedisLedger } from "./redis-ledger.ts";
export { steerError } from "./steer-error.ts";
