export {
  createLineClient,
  type LineClient,
  type LineClientOptions,
  type Message,
} from "./client.ts";
export { useLineDispatcher } from "./dispatcher.ts";
export { LineApiError, toLineApiError } from "./errors.ts";
export { retryKeyFor } from "./retry-key.ts";
export { staticTokenSource, type TokenSource } from "./token-source.ts";
