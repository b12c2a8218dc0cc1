export { BotInfoError, type BotInfoOptions, lookUpBotUserId } from "./bot-info.ts";
export { createDestinationGuard, type DestinationGuardOptions } from "./destination-guard.ts";
export { CLOCK_SKEW_ALLOWANCE_MS, maxEventAgeFor, splitByAge } from "./freshness.ts";
export {
  createWebhookHandler,
  invalidSignature,
  type WebhookErrorCode,
  type WebhookHandlerDeps,
  type WebhookOutcome,
  type WebhookRequest,
  type WebhookSpool,
} from "./handle-webhook.ts";
export {
  openRequestSpool,
  type RequestSpool,
  type RequestSpoolOptions,
  type SpooledRequest,
} from "./request-spool.ts";
export { TimeoutError, withTimeout } from "./with-timeout.ts";
