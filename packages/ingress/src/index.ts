export { createDestinationGuard, type DestinationGuardOptions } from "./destination-guard.ts";
export { type IngressEnv, ingressEnvSchema } from "./env.ts";
export {
  createWebhookHandler,
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
