import type {
  Bot,
  RecurringContext,
  RecurringJob,
  RecurringSchedule,
  SendReport,
} from "@linefleet/bot";
import { type Message, retryKeyFor } from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import { type Job, Queue, type RepeatOptions, Worker } from "bullmq";
import { retryDelayMs } from "./backoff.ts";
import type { ChannelResolver } from "./channel-resolver.ts";
import { steerError } from "./steer-error.ts";
import type { WorkerServices } from "./worker-services.ts";

/** A tick's job: which recurring job it is a tick of. */
export interface RecurringTickJob {
  job: string;
}

/** The BullMQ job name of recurring ticks. */
const TICK_JOB_NAME = "tick";

/** A tick that failed is tried this often in all, with the workers' backoff. */
const TICK_ATTEMPTS = 3;

const tickJobOptions = {
  attempts: TICK_ATTEMPTS,
  backoff: { type: "linefleet", delay: 500 },
  removeOnComplete: true,
  // Failed ticks stay a week, like dead letters, for `linefleet dead-letters`.
  removeOnFail: { age: 7 * 24 * 60 * 60 },
} as const;

/** A tick's id: the same one BullMQ's job scheduler gives the tick's job. */
const tickIdOf = (job: string, at: number) => `repeat:${job}:${at}`;

/** BullMQ's repeat options for a recurring schedule. */
export function repeatOptionsOf(schedule: RecurringSchedule): Omit<RepeatOptions, "key"> {
  if ("everyMs" in schedule) return { every: schedule.everyMs };
  return { pattern: schedule.cron, ...(schedule.tz ? { tz: schedule.tz } : {}) };
}

/** A schedule as people read it: `every 60 s`, `cron 0 9 * * * (Asia/Tokyo)`. */
export function describeSchedule(schedule: RecurringSchedule): string {
  if ("everyMs" in schedule) return `every ${schedule.everyMs / 1000} s`;
  return `cron ${schedule.cron}${schedule.tz ? ` (${schedule.tz})` : ""}`;
}

interface RecurringWorkerOptions {
  connection: RedisConnection;
  keys: RedisKeys;
  // biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
  bot: Bot<any, any>;
  channels: ChannelResolver;
  /** The channel a job speaks for when it names none. */
  defaultChannel: string;
  logger: Logger;
  /** Told of each tick's outcome, for metrics. */
  observe?: (job: string, outcome: "ok" | "retry" | "dead_letter") => void;
  now?: () => number;
}

/**
 * Runs the ticks of the bot's recurring jobs (`bot.every`). Each job is a BullMQ job scheduler on
 * one queue: BullMQ makes one job per tick, whose id is the tick's time, so however many workers
 * consume the queue a tick runs once. `reconcile()` makes the schedulers those the bot declares
 * (upserting each, removing the others), so a deploy that changes or drops a job changes or
 * removes it; every worker does it at start, and they all declare the same.
 */
export function createRecurringWorker(options: RecurringWorkerOptions) {
  const { bot, logger } = options;
  const now = options.now ?? Date.now;
  const queueName = options.keys.recurringQueueName;
  const connection = { connection: options.connection, prefix: options.keys.prefix };
  const queue = new Queue<RecurringTickJob>(queueName, connection);
  queue.on("error", () => {});
  const services: WorkerServices = {
    redis: options.connection,
    keyPrefix: options.keys.prefix,
  };
  const declared = () => new Map(bot.recurringJobs.map((job) => [job.name, job]));

  async function runTick(job: Job<RecurringTickJob>): Promise<void> {
    const recurring = declared().get(job.data.job);
    if (!recurring) {
      // Another deploy's job (a rolling update): left to a worker that declares it, or failed.
      throw new Error(`recurring job "${job.data.job}" is not declared by this worker's bot`);
    }
    const at = tickTimeOf(job);
    const tickId = job.id ?? tickIdOf(recurring.name, at);
    const log = logger.child({ recurringJob: recurring.name, tick: tickId, jobId: job.id });
    const { channel, client } = await options.channels.resolve({
      channel: recurring.channel ?? options.defaultChannel,
      destination: "",
    });
    let position = 0;
    const context: RecurringContext = {
      ...services,
      name: recurring.name,
      tick: { at, id: tickId },
      attempt: job.attemptsMade + 1,
      channel,
      line: client,
      log,
      async push(to, ...says) {
        const messages: Message[] = says.map((say) =>
          typeof say === "string" ? { type: "text", text: say } : say,
        );
        if (messages.length === 0) throw new RangeError("give at least one message to push");
        const reports: SendReport[] = [];
        for (let start = 0; start < messages.length; start += 5) {
          // The same tick and position give the same key: a retried tick's push gets LINE's 409.
          const retryKey = retryKeyFor(`${tickId}/${to}`, position++);
          const result = await client.push(to, messages.slice(start, start + 5), retryKey);
          reports.push({
            status: "delivered",
            via: "push",
            requestId: result.requestId,
            acceptedRequestId: result.acceptedRequestId,
            alreadyAccepted: result.alreadyAccepted,
          });
        }
        return reports;
      },
    };
    const started = now();
    await recurring.handler(context);
    log.info({ ms: now() - started, lateMs: started - at }, "recurring job ran");
  }

  const worker = new Worker<RecurringTickJob>(
    queueName,
    async (job) => {
      try {
        await runTick(job);
      } catch (error) {
        throw steerError(error);
      }
    },
    {
      ...connection,
      concurrency: 1,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error),
      },
    },
  );
  worker.on("completed", (job) => options.observe?.(job.data.job, "ok"));
  worker.on("failed", (job, error) => {
    if (!job) return;
    const final =
      error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    options.observe?.(job.data.job, final ? "dead_letter" : "retry");
    logger[final ? "error" : "warn"](
      { err: error, recurringJob: job.data.job, jobId: job.id, final },
      "recurring job failed",
    );
  });
  worker.on("error", (error) => logger.warn({ err: error }, "recurring worker error"));

  return {
    worker,
    /**
     * Makes the queue's job schedulers the bot's recurring jobs: upserts each declared one (a
     * changed schedule replaces the old), removes every other. Returns the declared jobs.
     */
    async reconcile(): Promise<RecurringJob[]> {
      const jobs = [...declared().values()];
      for (const job of jobs) {
        await queue.upsertJobScheduler(job.name, repeatOptionsOf(job.schedule), {
          name: TICK_JOB_NAME,
          data: { job: job.name },
          opts: tickJobOptions,
        });
      }
      const names = new Set(jobs.map((job) => job.name));
      for (const scheduler of await queue.getJobSchedulers()) {
        const id = scheduler.key;
        if (!names.has(id)) {
          await queue.removeJobScheduler(id);
          logger.info({ recurringJob: id }, "recurring job removed: no longer declared");
        }
      }
      return jobs;
    },
    /**
     * Runs one tick now, as the scheduler would (the test kit's clock): its job gets the tick's id,
     * so a tick is still run once. Resolves once the tick is handled; rejects with its error.
     */
    async runTickAt(jobName: string, at: number): Promise<void> {
      const job = await queue.add(
        TICK_JOB_NAME,
        { job: jobName },
        { ...tickJobOptions, attempts: 1, jobId: tickIdOf(jobName, at), timestamp: at },
      );
      await waitForTick(queue, job.id ?? "");
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

export type RecurringWorker = ReturnType<typeof createRecurringWorker>;

/** The tick a job is for: the scheduler's `prevMillis`, else when the job was made. */
function tickTimeOf(job: Job): number {
  const scheduled = (job.opts as { prevMillis?: number }).prevMillis;
  return typeof scheduled === "number" ? scheduled : job.timestamp;
}

/** Polls a tick's job until it is gone (completed jobs are removed) or failed. */
async function waitForTick(queue: Queue<RecurringTickJob>, jobId: string): Promise<void> {
  for (;;) {
    const job = await queue.getJob(jobId);
    if (!job) return;
    if (job.failedReason && job.finishedOn) {
      throw new Error(`recurring job tick ${jobId} failed: ${job.failedReason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
