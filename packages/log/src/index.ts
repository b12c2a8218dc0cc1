export { createLogger, type Logger, type LoggerOptions, redactedPaths } from "./logger.ts";
