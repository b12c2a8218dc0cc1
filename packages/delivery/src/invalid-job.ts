import { type LineEventJob, lineEventJobSchema } from "@linefleet/store";
import { UnrecoverableError } from "bullmq";

/**
 * A job whose payload is not a LINE event job (one added by hand from the dashboard, say): no
 * attempt can ever handle it, so it is dead-lettered at once with the reason, and never reaches
 * the bot. An UnrecoverableError, so BullMQ fails it without retries.
 */
export class InvalidJobError extends UnrecoverableError {
  readonly code = "LF_WORKER_INVALID_JOB";
  constructor(reason: string) {
    super(`LF_WORKER_INVALID_JOB: the job's payload is not a LINE event job: ${reason}`);
  }
}

/** Whether `data` is a LINE event job, as the ingress queues them. */
export function isLineEventJob(data: unknown): data is LineEventJob {
  return lineEventJobSchema.safeParse(data).success;
}

/** Throws an InvalidJobError naming what is wrong unless `data` is a LINE event job. */
export function checkLineEventJob(data: unknown): asserts data is LineEventJob {
  const result = lineEventJobSchema.safeParse(data);
  if (result.success) return;
  // Paths and expectations only, never the values: the payload may hold anything.
  const reason = result.error.issues
    .map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`)
    .join("; ");
  throw new InvalidJobError(reason);
}
