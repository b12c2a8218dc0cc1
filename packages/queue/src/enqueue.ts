import type { WebhookEvent } from "@linefleet/webhook";
import { Job, Queue } from "bullmq";
import type { ChainableCommander } from "ioredis";
import { type LineEventJob, lineEventsQueue } from "./catalog.ts";
import type { RedisConnection } from "./connection.ts";
import {
  ADMIT_TO_LANE,
  jobIdFor,
  LANE_TTL_SECONDS,
  laneOf,
  redisKeys,
} from "./redis-model/keys.ts";
import { defineScript } from "./scripts.ts";

export interface EventEnqueuer {
  /** Resolves once every event is durably in Redis, new or already there (a redelivery). */
  enqueue(destination: string, events: readonly WebhookEvent[], receivedAt: number): Promise<void>;
  close(): Promise<void>;
}

export interface EventEnqueuerOptions {
  connection: RedisConnection;
  prefix: string;
}

interface Pending {
  destination: string;
  events: readonly WebhookEvent[];
  receivedAt: number;
  resolve(): void;
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

  async function write(requests: Pending[]) {
    const client = await queue.getBackend().client;
    const multi = client.multi();
    // BullMQ's transaction type omits defined commands; underneath it is an ioredis MULTI.
    const commands = multi as unknown as ChainableCommander;
    for (const { destination, events, receivedAt } of requests) {
      for (const event of events) {
        const lane = laneOf(destination, event.source);
        if (lane) {
          admitToLane.queue(
            commands,
            keys.dedupe(queue.name, event.webhookEventId),
            keys.lane(lane),
            event.timestamp,
            event.webhookEventId,
            LANE_TTL_SECONDS,
          );
        }
        const job = new Job<LineEventJob>(
          queue,
          event.type,
          { destination, event, receivedAt },
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
  }

  function flush() {
    const requests = batch;
    batch = [];
    // A failed batch fails every request in it: each answers 503 and LINE redelivers; the
    // events that did land are deduped then.
    write(requests).then(
      () => {
        for (const request of requests) request.resolve();
      },
      (error: unknown) => {
        for (const request of requests) request.reject(error);
      },
    );
  }

  return {
    enqueue(destination, events, receivedAt) {
      if (events.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        if (batch.length === 0) setImmediate(flush);
        batch.push({ destination, events, receivedAt, resolve, reject });
      });
    },
    close: () => queue.close(),
  };
}
