export {
  createLogger,
  type Logger,
  type LoggerOptions,
  redactedPaths,
  redactionCensor,
} from "./logger.ts";
export { redactSecrets } from "./redact.ts";
