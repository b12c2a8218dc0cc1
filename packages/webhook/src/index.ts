export { chatIdOf } from "./chat.ts";
export {
  type EventSource,
  eventSourceSchema,
  type ParsedEnvelope,
  parseEnvelope,
  type WebhookEnvelope,
  type WebhookEvent,
  webhookEnvelopeSchema,
  webhookEventSchema,
} from "./envelope.ts";
export { signBody, verifySignature } from "./signature.ts";
