export { createChannelResolver, singleChannel } from "./channel-resolver.ts";
export { createDeadLetters } from "./dead-letters.ts";
export { createEventWorker } from "./event-worker.ts";
export {
  createRecurringWorker,
  describeSchedule,
  type RecurringWorker,
  repeatOptionsOf,
} from "./recurring-worker.ts";
export { createRedisBotStorage } from "./redis-bot-storage.ts";
export { EventResponder } from "./responder.ts";
export { createMemoryLedger } from "./send-ledger.ts";
export type { SendObserver } from "./send-observer.ts";
export type { ScheduledOutcome, WorkerObserver } from "./worker-observer.ts";
