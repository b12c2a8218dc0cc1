import { NonRetriableError } from "@linefleet/bot";
import { LineApiError } from "@linefleet/line-client";
import { UnrecoverableError } from "bullmq";

/**
 * Turns what a handler threw into what BullMQ understands: errors that retrying cannot fix fail
 * the event at once (it becomes a dead letter); anything else is retried with backoff.
 */
export function steerError(error: unknown): unknown {
  if (error instanceof NonRetriableError) return new UnrecoverableError(error.message);
  if (error instanceof LineApiError && !error.retryable) {
    return new UnrecoverableError(`${error.code}: ${error.message}`);
  }
  return error;
}
