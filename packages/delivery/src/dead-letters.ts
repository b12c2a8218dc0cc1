import {
  DONE_GRACE_SECONDS,
  jobIdFor,
  type LineEventJob,
  laneOf,
  openEventsQueue,
  type RedisConnection,
  type RedisKeys,
} from "@linefleet/store";
import { chatIdOf } from "@linefleet/webhook";
import { type Job, Queue } from "bullmq";
import { eventKeyOfJob } from "./event-key.ts";
import { createEventState } from "./event-state.ts";
import { isLineEventJob } from "./invalid-job.ts";
import type { RecurringTickJob } from "./recurring-worker.ts";
import type { LedgerEntry } from "./send-ledger.ts";

interface DeadLetter {
  jobId: string;
  webhookEventId: string;
  type: string;
  chatId: string | undefined;
  failedAt: number | undefined;
  attempts: number;
  error: string;
  /** Stack traces of the failed attempts, newest last. */
  errors: string[];
  /** Absent when the job's payload is not a LINE event job (one added by hand): see `error`. */
  event: LineEventJob["event"] | undefined;
  sends: Array<[number, LedgerEntry]>;
}

/**
 * Events that exhausted their attempts (or failed for good) are kept as BullMQ failed jobs with
 * their payload and errors. Replaying one runs it again, answering by push only with the same
 * retry keys and ledger, so whatever it had already sent is not sent again. With shards, every
 * shard's queue is read: a list is merged newest first, an id is looked up in each.
 */
export function createDeadLetters({
  connection,
  keys,
}: {
  connection: RedisConnection;
  keys: RedisKeys;
}) {
  const queues = keys.layout.shards.map((shard) => {
    return openEventsQueue(keys.layout.queueName(shard), { connection, prefix: keys.prefix });
  });
  const state = createEventState(connection, keys, DONE_GRACE_SECONDS);
  // Failed ticks of recurring jobs are dead letters too: listed and replayed with the events'.
  const recurring = new Queue<RecurringTickJob>(keys.recurringQueueName, {
    connection,
    prefix: keys.prefix,
  });
  recurring.on("error", () => {});
  const isTick = (job: Job) => job.queueName === keys.recurringQueueName;

  /** A failed tick: its id (`repeat:<job>:<ms>`) stands for the event id; no chat, no sends. */
  function describeTick(job: Job<RecurringTickJob>): DeadLetter {
    return {
      jobId: job.id ?? "",
      webhookEventId: job.id ?? "",
      type: "recurring",
      chatId: undefined,
      failedAt: job.finishedOn,
      attempts: job.attemptsMade,
      error: job.failedReason,
      errors: job.stacktrace ?? [],
      event: undefined,
      sends: [],
    };
  }

  async function describe(job: Job<LineEventJob>): Promise<DeadLetter> {
    if (isTick(job)) return describeTick(job as unknown as Job<RecurringTickJob>);
    if (!isLineEventJob(job.data)) {
      // Dead-lettered for its payload (InvalidJobError): listed with that reason, nothing to read.
      return {
        jobId: job.id ?? "",
        webhookEventId: "",
        type: "invalid",
        chatId: undefined,
        failedAt: job.finishedOn,
        attempts: job.attemptsMade,
        error: job.failedReason,
        errors: job.stacktrace ?? [],
        event: undefined,
        sends: [],
      };
    }
    const { destination, event } = job.data;
    return {
      jobId: job.id ?? "",
      webhookEventId: event.webhookEventId,
      type: event.type,
      chatId: chatIdOf(event.source),
      failedAt: job.finishedOn,
      attempts: job.attemptsMade,
      error: job.failedReason,
      errors: job.stacktrace ?? [],
      event,
      sends: [...(await state.sends(laneOf(destination, event.source), eventKeyOfJob(job)))],
    };
  }

  /**
   * By job id (`<channel>/<webhookEventId>`, or the bare id for the channel "default"), else by
   * the bare webhookEventId among the dead letters of every channel.
   */
  async function find(id: string): Promise<Job<LineEventJob> | undefined> {
    const tick = await recurring.getJob(id);
    if (tick && (await tick.isFailed())) return tick as unknown as Job<LineEventJob>;
    for (const queue of queues) {
      const job = await queue.getJob(jobIdFor(id));
      if (job && (await job.isFailed())) return job;
    }
    for (const queue of queues) {
      const failed = (await queue.getFailed(0, 9_999)) as Job<LineEventJob>[];
      const job = failed.find((one) => one.data?.event?.webhookEventId === id);
      if (job) return job;
    }
    return undefined;
  }

  return {
    async list(limit = 100): Promise<DeadLetter[]> {
      // Each shard's newest `limit`, merged: the newest `limit` overall are among them.
      const perShard = await Promise.all(
        [...queues, recurring].map((queue) => queue.getFailed(0, limit - 1)),
      );
      const jobs = (perShard.flat() as Job<LineEventJob>[])
        .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0))
        .slice(0, limit);
      return Promise.all(jobs.map(describe));
    },
    async show(id: string): Promise<DeadLetter | undefined> {
      const job = await find(id);
      return job ? describe(job) : undefined;
    },
    /** Queues the dead letter again; returns false when there is no such dead letter. */
    async replay(id: string): Promise<boolean> {
      const job = await find(id);
      if (!job) return false;
      // A tick runs again as it was; an event answers by push only.
      if (!isTick(job)) await job.updateData({ ...job.data, replay: true });
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    },
    /** Deletes dead letters older than `olderThanMs`; returns how many. */
    async prune(olderThanMs: number): Promise<number> {
      const cleaned = await Promise.all(
        [...queues, recurring].map((queue) => queue.clean(olderThanMs, 10_000, "failed")),
      );
      return cleaned.reduce((total, ids) => total + ids.length, 0);
    },
    close: async () => {
      await Promise.all([...queues, recurring].map((queue) => queue.close()));
    },
  };
}
