export { retryDelayMs } from "./backoff.ts";
export { createDeadLetters, type DeadLetter, type DeadLetters } from "./dead-letters.ts";
export { createEventWorker, type EventWorkerOptions } from "./event-worker.ts";
export { createRedisRateLimiter, type RateLimiter } from "./rate-limiter.ts";
export { createRedisLedger } from "./redis-ledger.ts";
export { steerError } from "./steer-error.ts";
export {
  type EventOutcome,
  noWorkerObserver,
  type WorkerObserver,
} from "./worker-observer.ts";
