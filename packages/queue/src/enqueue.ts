import type { WebhookEvent } from "@linefleet/webhook";
import { Job, Queue } from "bullmq";
import type { ChainableCommander, Redis } from "ioredis";
import { type LineEventJob, lineEventsQueue } from "./catalog.ts";
import {
  ADMIT_TO_LANE,
  jobIdFor,
  LANE_TTL_SECONDS,
  laneOf,
  redisKeys,
} from "./redis-model/keys.ts";
import { defineScript } from "./scripts.ts";

/** How many of a request's events were new, and how many were already queued or handled. */
export interface EnqueueReport {
  enqueued: number;
  duplicates: number;
}

export interface EventEnqueuer {
  /** Resolves once every event is durably in Redis, new or already there (a redelivery). */
  enqueue(
    destination: string,
    events: readonly WebhookEvent[],
    receivedAt: number,
    /** The channel the webhook came to; workers answer with its token. */
    channel?: string,
  ): Promise<EnqueueReport>;
  close(): Promise<void>;
}

export interface EventEnqueuerOptions {
  connection: Redis;
  prefix: string;
}

interface Pending {
  channel: string;
  destination: string;
  events: readonly WebhookEvent[];
  receivedAt: number;
  resolve(report: EnqueueReport): void;
  reject(error: unknown): void;
}

/**
 * Admits webhook events into the queue in one MULTI: one round trip, applied whole. For each
 * event, its lane entry (see lanes.ts) and its job with its dedupe mark (BullMQ's deduplication
 * id, set by BullMQ's own add script) are written together, so an event is never marked without
 * being queued, never queued twice, and never re-enters its lane once handled.
 *
 * The events of every request that arrives in one turn of the event loop share that MULTI: under
 * load this spreads the round trip and its socket writes over many requests, and no request waits
 * longer than the current turn for its batch to leave.
 */
export function createEventEnqueuer({ connection, prefix }: EventEnqueuerOptions): EventEnqueuer {
  const queue = new Queue<LineEventJob>(lineEventsQueue.name, {
    connection,
    prefix,
    defaultJobOptions: lineEventsQueue.jobOptions,
  });
  // Queue errors surface through the failing call; this only keeps them from being unhandled.
  queue.on("error", () => {});
  // Defined on the connection itself, so the MULTIs BullMQ's client makes from it carry it:
  // EVALSHA instead of the script's text for every event.
  const admitToLane = defineScript(connection, ADMIT_TO_LANE);
  const keys = redisKeys(prefix);

  let batch: Pending[] = [];

  /** Returns, per request, how many of its events were new. */
  async function write(requests: Pending[]): Promise<EnqueueReport[]> {
    const client = await queue.getBackend().client;
    const multi = client.multi();
    // BullMQ's transaction type omits defined commands; underneath it is an ioredis MULTI.
    const commands = multi as unknown as ChainableCommander;
    // Each event queues exactly two commands: a check that tells new from duplicate (its answer
    // arrives with the same exec, so telling them apart costs no round trip), then BullMQ's add.
    // The add itself cannot tell: job ids are derived from webhookEventId, so BullMQ returns the
    // same id whether it stored the job or found it deduplicated.
    const checks: Array<"admitted" | "exists"> = [];
    for (const { channel, destination, events, receivedAt } of requests) {
      for (const event of events) {
        const dedupeKey = keys.dedupe(queue.name, event.webhookEventId);
        const lane = laneOf(destination, event.source);
        if (lane) {
          // Answers 1 when the event is new (and enters its lane), 0 for a duplicate.
          admitToLane.queue(
            commands,
            dedupeKey,
            keys.lane(lane),
            event.timestamp,
            event.webhookEventId,
            LANE_TTL_SECONDS,
          );
          checks.push("admitted");
        } else {
          commands.exists(dedupeKey);
          checks.push("exists");
        }
        const job = new Job<LineEventJob>(
          queue,
          event.type,
          { channel, destination, event, receivedAt },
          {
            ...lineEventsQueue.jobOptions,
            deduplication: { id: event.webhookEventId, ttl: lineEventsQueue.dedupeTtlMs },
          },
          jobIdFor(event.webhookEventId),
        );
        // Queues BullMQ's add script into the transaction; its result arrives with exec().
        void job.addJob(multi).catch(() => {});
      }
    }
    const results = await multi.exec();
    if (!results) throw new Error("the enqueue transaction was aborted");
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    let position = 0;
    return requests.map(({ events }) => {
      const report: EnqueueReport = { enqueued: 0, duplicates: 0 };
      for (let i = 0; i < events.length; i++, position++) {
        const answer = Number(results[position * 2]?.[1]);
        const isNew = checks[position] === "admitted" ? answer === 1 : answer === 0;
        if (isNew) report.enqueued++;
        else report.duplicates++;
      }
      return report;
    });
  }

  function flush() {
    const requests = batch;
    batch = [];
    // A failed batch fails every request in it: each answers 503 and LINE redelivers; the
    // events that did land are deduped then.
    write(requests).then(
      (reports) => {
        requests.forEach((request, index) => {
          request.resolve(reports[index] ?? { enqueued: 0, duplicates: 0 });
        });
      },
      (error: unknown) => {
        for (const request of requests) request.reject(error);
      },
    );
  }

  return {
    enqueue(destination, events, receivedAt, channel = "default") {
      if (events.length === 0) return Promise.resolve({ enqueued: 0, duplicates: 0 });
      return new Promise<EnqueueReport>((resolve, reject) => {
        if (batch.length === 0) setImmediate(flush);
        batch.push({ channel, destination, events, receivedAt, resolve, reject });
      });
    },
    close: () => queue.close(),
  };
}
