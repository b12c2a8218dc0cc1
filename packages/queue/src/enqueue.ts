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
  type RedisKeys,
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
  ): Promise<EnqueueReport>;
  close(): Promise<void>;
}

export interface EventEnqueuerOptions {
  connection: RedisConnection;
  /** The data model, with the deployment's shard layout. */
  keys: RedisKeys;
}

interface Pending {
  destination: string;
  events: readonly WebhookEvent[];
  receivedAt: number;
  resolve(report: EnqueueReport): void;
  reject(error: unknown): void;
}

interface Admission {
  destination: string;
  event: WebhookEvent;
  receivedAt: number;
  lane: string | undefined;
}

/**
 * Admits webhook events into the queue, one MULTI per shard: one round trip each, applied whole.
 * For each event, its lane entry (see redis-model/lanes.ts) and its job with its dedupe mark
 * (BullMQ's deduplication id, set by BullMQ's own add script) are written together, so an event
 * is never marked without being queued, never queued twice, and never re-enters its lane once
 * handled. An event goes to its lane's shard (so a chat's events stay together and in order);
 * events without a chat take the shards in turn.
 *
 * The events of every request that arrives in one turn of the event loop share those MULTIs:
 * under load this spreads the round trips and socket writes over many requests, and no request
 * waits longer than the current turn for its batch to leave.
 */
export function createEventEnqueuer({ connection, keys }: EventEnqueuerOptions): EventEnqueuer {
  const { layout } = keys;
  const queues = layout.shards.map((shard) => {
    const queue = new Queue<LineEventJob>(layout.queueName(shard), {
      connection,
      prefix: keys.prefix,
      defaultJobOptions: lineEventsQueue.jobOptions,
    });
    // Queue errors surface through the failing call; this only keeps them from being unhandled.
    queue.on("error", () => {});
    return queue;
  });
  // Defined on the connection itself, so the MULTIs BullMQ's client makes from it carry it:
  // EVALSHA instead of the script's text for every event.
  const admitToLane = defineScript(connection, ADMIT_TO_LANE);

  let batch: Pending[] = [];
  let nextUnlaned = 0;
  /** Events without a chat need no order: they take the shards in turn. */
  const takeTurnForUnlaned = () => {
    nextUnlaned = (nextUnlaned + 1) % layout.count;
    return nextUnlaned;
  };

  /** Writes one shard's events in one MULTI; returns, per event, whether it was new. */
  async function write(shard: number, admissions: readonly Admission[]): Promise<boolean[]> {
    const queue = queues[shard];
    if (!queue) throw new Error(`no queue for shard ${shard}`);
    const client = await queue.getBackend().client;
    const multi = client.multi();
    // BullMQ's transaction type omits defined commands; underneath it is an ioredis MULTI.
    const commands = multi as unknown as ChainableCommander;
    // Each event queues exactly two commands: a check that tells new from duplicate (its answer
    // arrives with the same exec, so telling them apart costs no round trip), then BullMQ's add.
    // The add itself cannot tell: job ids are derived from webhookEventId, so BullMQ returns the
    // same id whether it stored the job or found it deduplicated.
    const checks: Array<"admitted" | "exists"> = [];
    for (const { destination, event, receivedAt, lane } of admissions) {
      const dedupeKey = keys.dedupe(queue.name, event.webhookEventId);
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
    const results = await multi.exec();
    if (!results) throw new Error("the enqueue transaction was aborted");
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return checks.map((check, position) => {
      const answer = Number(results[position * 2]?.[1]);
      return check === "admitted" ? answer === 1 : answer === 0;
    });
  }

  function flush() {
    const requests = batch;
    batch = [];
    const byShard = new Map<number, Admission[]>();
    /** Per request, where each of its admissions went: [shard, index in that shard's MULTI]. */
    const placesOf = requests.map((request) =>
      request.events.map((event) => {
        const lane = laneOf(request.destination, event.source);
        const shard = lane ? layout.shardOfLane(lane) : takeTurnForUnlaned();
        const admissions = byShard.get(shard) ?? [];
        admissions.push({ ...request, event, lane });
        byShard.set(shard, admissions);
        return [shard, admissions.length - 1] as const;
      }),
    );
    const outcomes = new Map<number, Promise<boolean[]>>();
    for (const [shard, admissions] of byShard) outcomes.set(shard, write(shard, admissions));
    // A request whose shards all took their events is queued; one a failing shard touched is not
    // (it answers 503, or is spooled), and the events that did land are deduped when they come again.
    requests.forEach((request, index) => {
      const places = placesOf[index] ?? [];
      const shards = [...new Set(places.map(([shard]) => shard))];
      Promise.all(shards.map((shard) => outcomes.get(shard))).then(
        (answers) => {
          const byShardAnswer = new Map(shards.map((shard, i) => [shard, answers[i]]));
          const report: EnqueueReport = { enqueued: 0, duplicates: 0 };
          for (const [shard, position] of places) {
            if (byShardAnswer.get(shard)?.[position]) report.enqueued++;
            else report.duplicates++;
          }
          request.resolve(report);
        },
        (error: unknown) => request.reject(error),
      );
    });
  }

  return {
    enqueue(destination, events, receivedAt) {
      if (events.length === 0) return Promise.resolve({ enqueued: 0, duplicates: 0 });
      return new Promise<EnqueueReport>((resolve, reject) => {
        if (batch.length === 0) setImmediate(flush);
        batch.push({ destination, events, receivedAt, resolve, reject });
      });
    },
    close: async () => {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}
