export {
  createLineClient,
  type LineClient,
  type LineClientOptions,
  type Message,
  type SendResult,
} from "./client.ts";
export { createLineDispatcher, useLineDispatcher } from "./dispatcher.ts";
export { LineApiError, type LineErrorCode, toLineApiError } from "./errors.ts";
export { retryKeyFor } from "./retry-key.ts";
export { staticTokenSource, type TokenSource } from "./token-source.ts";
