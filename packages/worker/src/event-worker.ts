import { type Bot, type ChannelResolver, createBotRuntime, singleChannel } from "@linefleet/bot";
import type { LineClient } from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import type { RedisConnection } from "@linefleet/queue";
import { jobIdFor, type LineEventJob, laneOf, type RedisKeys } from "@linefleet/queue";
import { DelayedError, type Job, Queue, Worker } from "bullmq";
import { retryDelayMs } from "./backoff.ts";
import { Lanes } from "./lane.ts";
import type { RedisLedger } from "./redis-ledger.ts";
import { steerError } from "./steer-error.ts";
import { noWorkerObserver, type WorkerObserver } from "./worker-observer.ts";

export interface EventWorkerOptions {
  connection: RedisConnection;
  keys: RedisKeys;
  /** The shard this worker consumes (default 0, the only one without shards). */
  shard?: number;
  // biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
  bot: Bot<any, any>;
  /** Answers every event when `channels` is not given. */
  client: LineClient;
  /** The channel and LINE client of each event, by its `destination`; default: `client` for all. */
  channels?: ChannelResolver;
  ledger: RedisLedger;
  logger: Logger;
  concurrency: number;
  replyTokenMaxAgeMs: number;
  pushAfterUnknownReply?: boolean;
  /**
   * How long an event waits behind an earlier event of its chat (one being retried, say) before
   * its lane moves on without it.
   */
  laneMaxWaitMs?: number;
  /** How long a job holds its lock; a crashed worker's events are taken over after about this. */
  lockDurationMs?: number;
  now?: () => number;
  /** The channel's name in logs and metrics ("default" for the single channel of the env). */
  channel?: string;
  /** Told of every processed event, send and lane wait, for metrics. */
  observe?: WorkerObserver;
}

/** A BullMQ worker that hands each queued LINE event to the bot, answering through an Outbox. */
export function createEventWorker(options: EventWorkerOptions): Worker<LineEventJob> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const channel = options.channel ?? "default";
  const observe = options.observe ?? noWorkerObserver;
  const runtime = createBotRuntime({
    bot: options.bot,
    channels: options.channels ?? singleChannel(options.client),
    ledger: options.ledger,
    redis: options.connection,
    keys: options.keys,
    replyTokenMaxAgeMs: options.replyTokenMaxAgeMs,
    pushAfterUnknownReply: options.pushAfterUnknownReply ?? false,
    observeSends: (channelName) => observe.sends(channelName),
    now,
  });
  const laneMaxWaitMs = options.laneMaxWaitMs ?? 30_000;
  const lanes = new Lanes(options.connection, options.keys);
  const queueName = options.keys.layout.queueName(options.shard ?? 0);
  const queue = new Queue<LineEventJob>(queueName, {
    connection: options.connection,
    prefix: options.keys.prefix,
  });
  queue.on("error", () => {});

  /** Wakes the next event of a lane at once rather than at the end of its wait. */
  async function wake(webhookEventId: string | undefined) {
    if (!webhookEventId) return;
    try {
      await (await queue.getJob(jobIdFor(webhookEventId)))?.promote();
    } catch {
      // Not waiting in the delayed set (already queued or running): nothing to wake.
    }
  }

  /**
   * Returns when the event may run: it heads its chat's lane, or has waited past the bound.
   * Otherwise the job steps aside (delayed, without using an attempt) and this throws.
   */
  async function waitForTurn(job: Job<LineEventJob>, lane: string, log: Logger, token?: string) {
    const { webhookEventId } = job.data.event;
    const waitedMs = now() - job.data.receivedAt;
    // Back off gently while the lane stays blocked; the event ahead wakes this one when done.
    const pauseMs = Math.min(Math.max(waitedMs / 4, 50), 2_000);
    const turn = await lanes.takeTurn(lane, webhookEventId, pauseMs);
    if (turn.go) return;
    if (waitedMs >= laneMaxWaitMs) {
      log.warn(
        { blockedBy: turn.head, waitedMs },
        "lane moved on: an earlier event of this chat is still pending",
      );
      return;
    }
    log.debug({ blockedBy: turn.head }, "waiting for its turn");
    observe.laneWait();
    await job.moveToDelayed(now() + pauseMs, token);
    throw new DelayedError();
  }

  async function processEvent(job: Job<LineEventJob>, token?: string): Promise<void> {
    const { destination, event } = job.data;
    const log = logger.child({
      webhookEventId: event.webhookEventId,
      channel,
      jobId: job.id,
      type: event.type,
    });

    const lane = laneOf(destination, event.source);
    if (lane) await waitForTurn(job, lane, log, token);
    try {
      await runtime.run(job.data, log);
    } catch (error) {
      log.warn({ err: error, attempt: job.attemptsMade + 1 }, "handler failed");
      throw steerError(error);
    }
    if (lane) await wake(await lanes.leave(lane, event.webhookEventId));
  }

  const worker = new Worker<LineEventJob>(queueName, processEvent, {
    connection: options.connection,
    prefix: options.keys.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.lockDurationMs ?? 30_000,
    settings: {
      backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error),
    },
  });
  worker.on("completed", (job) => observe.eventProcessed(channel, job.data.event.type, "ok"));
  worker.on("failed", (job, error) => {
    if (!job || error instanceof DelayedError) return;
    const final =
      error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    const { event } = job.data;
    observe.eventProcessed(channel, event.type, final ? "dead_letter" : "retry");
    if (!final) return;
    logger.error(
      { err: error, webhookEventId: event.webhookEventId, channel, jobId: job.id },
      "event dead-lettered",
    );
    const lane = laneOf(job.data.destination, event.source);
    // A dead letter leaves its lane, so the chat's later events go on.
    if (lane) void lanes.leave(lane, event.webhookEventId).then(wake, () => {});
  });
  worker.on("error", (error) => logger.warn({ err: error }, "worker error"));
  worker.on("closed", () => void queue.close());
  return worker;
}
