import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/**
 * Paths that can carry credentials. Signatures are redacted too: with the body they would let
 * anyone holding the logs test guesses at the channel secret offline.
 */
export const redactedPaths = [
  'req.headers["x-line-signature"]',
  "req.headers.authorization",
  'headers["x-line-signature"]',
  "headers.authorization",
  "channelSecret",
  "channelAccessToken",
  "*.channelSecret",
  "*.channelAccessToken",
  "LINE_CHANNEL_SECRET",
  "LINE_CHANNEL_ACCESS_TOKEN",
  "*.LINE_CHANNEL_SECRET",
  "*.LINE_CHANNEL_ACCESS_TOKEN",
  // LINE's token endpoints: the form fields and the issued token, in a request or an answer.
  "access_token",
  "client_secret",
  "client_assertion",
  "*.access_token",
  "*.client_secret",
  "*.client_assertion",
];

/** What a redacted value reads as, in the logs and in redacted copies (`redactSecrets`). */
export const redactionCensor = "[redacted]";

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger({ name, level = "info", destination }: LoggerOptions): Logger {
  const options = { name, level, redact: { paths: redactedPaths, censor: redactionCensor } };
  return destination ? pino(options, destination) : pino(options);
}
