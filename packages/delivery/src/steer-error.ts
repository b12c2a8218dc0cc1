import { NonRetriableError } from "@linefleet/bot";
import { LineApiError } from "@linefleet/line-client";
import { UnrecoverableError } from "bullmq";

/**
 * Turns what a handler threw into what BullMQ understands: errors that retrying cannot fix fail
 * the event at once (it becomes a dead letter); anything else is retried with backoff.
 */
export function steerError(error: unknown): unknown {
  if (error instanceof NonRetriableError) return unrecoverable(error, error.message);
  if (error instanceof LineApiError && !error.retryable) {
    return unrecoverable(error, `${error.code}: ${error.message}`);
  }
  return error;
}

/**
 * BullMQ's "do not retry" for `error`, keeping its stack: the job's stored stack trace then
 * points at the handler that threw, not at this file.
 */
export function unrecoverable(error: Error, message = error.message): UnrecoverableError {
  const steered = new UnrecoverableError(message);
  if (error.stack) steered.stack = error.stack;
  steered.cause = error;
  return steered;
}
