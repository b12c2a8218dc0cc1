import { type Bot, type BotStorage, SessionConflictError } from "@linefleet/bot";
import type { LineClient } from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import {
  DONE_GRACE_SECONDS,
  jobIdFor,
  type LineEventJob,
  laneOf,
  openEventsQueue,
  type RedisConnection,
  type RedisKeys,
} from "@linefleet/store";
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import type { AttemptLedger } from "./attempt-ledger.ts";
import { retryDelayMs } from "./backoff.ts";
import { type ChannelResolver, singleChannel } from "./channel-resolver.ts";
import { eventKeyOfJob } from "./event-key.ts";
import type { EventOutcome } from "./event-outcome.ts";
import { createEventState } from "./event-state.ts";
import { createEventHandler } from "./handle-event.ts";
import { checkLineEventJob, InvalidJobError, isLineEventJob } from "./invalid-job.ts";
import { createRedisBotStorage } from "./redis-bot-storage.ts";
import { laneScoreOf, scheduledEventOf } from "./scheduled-item.ts";
import { createSchedulerFactory } from "./scheduler.ts";
import { steerError, unrecoverable } from "./steer-error.ts";
import { stepAside } from "./step-aside.ts";
import { noWorkerObserver, type WorkerObserver } from "./worker-observer.ts";

interface EventWorkerOptions {
  connection: RedisConnection;
  keys: RedisKeys;
  /** The shard this worker consumes (default 0, the only one without shards). */
  shard?: number;
  // biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
  bot: Bot<any, any>;
  /**
   * The channel of each event and the LINE client answering for it (with that channel's token and
   * rate limit), by the job's `channel` (else its `destination`). Given instead of `client`.
   */
  channels?: ChannelResolver;
  /** Answers every event, as the channel "default", when `channels` is not given. */
  client?: LineClient;
  /** Where the bot's sessions and cached profiles live; by default in Redis, beside the queue. */
  storage?: BotStorage;
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
  /** Told of every processed event, send and lane wait, for metrics. */
  observe?: WorkerObserver;
  /**
   * At most this many attempts per event, fewer than the job's own when smaller. The test kit
   * gives 1, so a handler's error fails its event at once. A session conflict is still retried:
   * it is no error of the handler.
   */
  maxAttempts?: number;
}

/**
 * A BullMQ worker that runs each queued LINE event through the bot (handle-event.ts), whose
 * answers go out exactly once through an EventResponder and this attempt's ledger. Beyond
 * BullMQ's own calls it makes two Redis round trips per event: one script before the handler
 * (lane turn, ledger), one after (ledger, leaving the lane, the next event to wake); an event that
 * must wait for its turn costs one more, and waking it one BullMQ promote.
 */
export function createEventWorker(options: EventWorkerOptions): Worker<LineEventJob> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const observe = options.observe ?? noWorkerObserver;
  const channels = options.channels ?? singleChannel(requiredClient(options.client));
  const schedulers = createSchedulerFactory({
    redis: options.connection,
    keys: options.keys,
    now,
    observe: (channel, outcome) => observe.scheduled(channel, outcome),
  });
  const handleEvent = createEventHandler({
    schedulers,
    bot: options.bot,
    channels,
    storage: options.storage ?? createRedisBotStorage(options.connection, options.keys),
    services: { redis: options.connection, keyPrefix: options.keys.prefix },
    replyTokenMaxAgeMs: options.replyTokenMaxAgeMs,
    pushAfterUnknownReply: options.pushAfterUnknownReply ?? false,
    observeSends: (channelName) => observe.sends(channelName),
    conversations: { ended: (name, how) => observe.conversationEnded(name, how) },
    now,
  });
  const laneMaxWaitMs = options.laneMaxWaitMs ?? 30_000;
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  // Past the time a job whose completion was lost takes to be found stalled and run again.
  const doneGraceSeconds = Math.max(DONE_GRACE_SECONDS, Math.ceil((lockDurationMs * 3) / 1000));
  const state = createEventState(options.connection, options.keys, doneGraceSeconds);
  const queueName = options.keys.layout.queueName(options.shard ?? 0);
  const queue = openEventsQueue(queueName, {
    connection: options.connection,
    prefix: options.keys.prefix,
  });
  /** Errors whose event already left its lane (or kept its place) as it should. */
  const settled = new WeakSet<Error>();

  /** Wakes the next event of a lane (its key: the job id, see event-key.ts) rather than at the end of its wait. */
  async function wake(eventKey: string | undefined) {
    if (!eventKey) return;
    try {
      await queue.getBackend().promote(jobIdFor(eventKey));
    } catch {
      // No longer delayed (its own wait ran out meanwhile): nothing to wake.
    }
  }

  async function processEvent(job: Job<LineEventJob>, token?: string): Promise<void> {
    // Anyone with the dashboard can add a job: check it is one before reading it.
    checkLineEventJob(job.data);
    const { destination, event } = job.data;
    const log = logger.child({
      webhookEventId: event.webhookEventId,
      channel: channelOf(job),
      jobId: job.id,
      type: event.type,
    });
    const lane = laneOf(destination, event.source);
    // Its state in Redis is keyed by its channel too: two channels' events never share it.
    const eventKey = eventKeyOfJob(job);
    const started = now();
    // A scheduled item arrives when it is due, however long ago it was scheduled.
    const scheduledEvent = scheduledEventOf(job.data);
    const scheduled = scheduledEvent !== undefined;
    const waitedMs = started - (scheduled ? event.timestamp : job.data.receivedAt);
    // Without a reply token (scheduled work, a replayed dead letter) nothing was ever a reply: an
    // interrupted attempt's sends are taken for pushes, sent again with their retry keys.
    const replyDeadline =
      event.replyToken && !job.data.replay ? event.timestamp + options.replyTokenMaxAgeMs : 0;

    // Sent in the same tick as the event's first script: one round trip for both.
    channels.rateLimitOf(job.data)?.prefetch();
    const begun = await state.begin(lane, eventKey, {
      now: started,
      force: waitedMs >= laneMaxWaitMs,
      replyDeadline,
      scheduled: scheduledEvent && laneScoreOf(scheduledEvent),
    });
    if (begun.status === "done") return;
    if (begun.status === "cancelled") {
      log.debug("scheduled item cancelled: nothing to do");
      return;
    }
    if (begun.status === "wait") {
      log.debug({ blockedBy: begun.head }, "waiting for its turn");
      observe.laneWait();
      // Back off gently while the lane stays blocked; the event ahead wakes this one when done.
      const pauseMs = Math.min(Math.max(waitedMs / 4, 50), 2_000);
      await stepAside(job, token, {
        state,
        lane: lane as string,
        eventKey,
        until: started + pauseMs,
        now: started,
      });
      throw new DelayedError();
    }
    if (begun.overtook) {
      log.warn(
        { blockedBy: begun.overtook, waitedMs },
        "lane moved on: an earlier event of this chat is still pending",
      );
    }

    const ledger = begun.ledger;
    if (scheduled && job.attemptsMade === 0) observe.scheduledLateness(channelOf(job), waitedMs);
    try {
      await handleEvent(job.data, log, ledger, job.attemptsMade + 1);
    } catch (error) {
      log.warn({ err: error, attempt: job.attemptsMade + 1 }, "handler failed");
      let steered = steerError(error);
      const jobAttempts = job.opts.attempts ?? 1;
      const attempts =
        error instanceof SessionConflictError
          ? jobAttempts
          : Math.min(jobAttempts, options.maxAttempts ?? jobAttempts);
      const final = steered instanceof UnrecoverableError || job.attemptsMade + 1 >= attempts;
      // Out of attempts before BullMQ's own count is: tell it not to retry.
      if (final && !(steered instanceof UnrecoverableError) && error instanceof Error) {
        steered = unrecoverable(error);
      }
      await end(lane, eventKey, final ? "dead_letter" : "retry", ledger, log, scheduled);
      if (scheduled && final) observe.scheduled(channelOf(job), "failed");
      if (steered instanceof Error) settled.add(steered);
      throw steered;
    }
    await end(lane, eventKey, "ok", ledger, log, scheduled);
    if (scheduled) observe.scheduled(channelOf(job), "sent");
  }

  async function end(
    lane: string | undefined,
    eventKey: string,
    outcome: EventOutcome,
    ledger: AttemptLedger | undefined,
    log: Logger,
    scheduled: boolean,
  ) {
    let next: string | undefined;
    try {
      next = await state.finish(lane, eventKey, outcome, ledger, scheduled);
    } catch (error) {
      // The attempt stays open in the ledger: whoever runs the event next treats its sends as
      // unknown rather than repeating them.
      log.warn({ err: error }, "could not record the attempt's end");
      if (outcome === "ok") throw error;
      return;
    }
    // Not awaited by the event's completion: the next event's wake-up is its own business.
    void wake(next);
  }

  const worker = new Worker<LineEventJob>(queueName, processEvent, {
    connection: options.connection,
    prefix: options.keys.prefix,
    concurrency: options.concurrency,
    lockDuration: lockDurationMs,
    stalledInterval: lockDurationMs,
    settings: {
      backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error),
    },
  });
  worker.on("completed", (job) =>
    observe.eventProcessed(channelOf(job), job.data.event.type, "ok"),
  );
  worker.on("failed", (job, error) => {
    if (!job || error instanceof DelayedError) return;
    if (error instanceof InvalidJobError || !isLineEventJob(job.data)) {
      // No channel or event type to name: its data is not to be trusted as a metric label.
      observe.eventProcessed("unknown", "invalid", "dead_letter");
      logger.error(
        { code: "LF_WORKER_INVALID_JOB", reason: error.message, jobId: job.id, jobName: job.name },
        "job dead-lettered: its payload is not a LINE event job",
      );
      return;
    }
    const final =
      error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    const { event } = job.data;
    const channel = channelOf(job);
    observe.eventProcessed(channel, event.type, final ? "dead_letter" : "retry");
    if (!final) return;
    logger.error(
      { err: error, webhookEventId: event.webhookEventId, channel, jobId: job.id },
      "event dead-lettered",
    );
    if (settled.has(error)) return;
    // Failed outside the handler (stalled too often, say): it still leaves its lane, so the
    // chat's later events go on.
    const lane = laneOf(job.data.destination, event.source);
    const scheduled = scheduledEventOf(job.data) !== undefined;
    void state
      .finish(lane, eventKeyOfJob(job), "dead_letter", undefined, scheduled)
      .then(wake, () => {});
  });
  worker.on("error", (error) => logger.warn({ err: error }, "worker error"));
  worker.on("closed", () => {
    void queue.close();
    void schedulers.close();
  });
  return worker;
}

/** The channel an event came to, as the ingress recorded it (jobs always carry one). */
const channelOf = (job: Job<LineEventJob>) => job.data.channel ?? "default";

function requiredClient(client: LineClient | undefined): LineClient {
  if (!client) throw new TypeError("createEventWorker needs `channels` or `client`");
  return client;
}
