export {
  createLineClient,
  type LineClient,
  type LineClientOptions,
  type Message,
  type SendResult,
  type SentMessage,
} from "./client.ts";
export {
  createLineDispatcher,
  type LineDispatcherOptions,
  useLineDispatcher,
} from "./dispatcher.ts";
export {
  LineApiError,
  type LineErrorCode,
  parseRetryAfter,
  type SendOutcome,
  toLineApiError,
} from "./errors.ts";
export { createMemoryLedger, type LedgerEntry, type SendLedger, type SendVia } from "./ledger.ts";
export { Outbox, type OutboxEvent, type OutboxPolicy, type SendReport } from "./outbox.ts";
export { withRateLimit } from "./rate-limited.ts";
export { retryKeyFor } from "./retry-key.ts";
export {
  noSendObserver,
  type PushFallbackReason,
  type SendCount,
  type SendObserver,
} from "./send-observer.ts";
