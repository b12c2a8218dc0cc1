export { AttemptLedger } from "./attempt-ledger.ts";
export { retryDelayMs } from "./backoff.ts";
export { createDeadLetters, type DeadLetter, type DeadLetters } from "./dead-letters.ts";
export { createEventState, type EventState } from "./event-state.ts";
export { createEventWorker, type EventWorkerOptions } from "./event-worker.ts";
export { createRedisRateLimiter, type RateLimiter } from "./rate-limiter.ts";
export { steerError } from "./steer-error.ts";
export { stepAside } from "./step-aside.ts";
export {
  type EventOutcome,
  noWorkerObserver,
  type WorkerObserver,
} from "./worker-observer.ts";
