export { BotInfoError, type BotInfoOptions, lookUpBotUserId } from "./bot-info.ts";
export { destinationGuardFor } from "./channel-destination.ts";
export { createDestinationGuard, type DestinationGuardOptions } from "./destination-guard.ts";
export { type IngressEnv, ingressEnvSchema, maxEventAgeOf } from "./env.ts";
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
export { reportStaleEvents } from "./stale-events.ts";
