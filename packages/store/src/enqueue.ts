import type { ErrorCode } from "@linefleet/errors";
import type { WebhookEvent } from "@linefleet/webhook";
import { Job, type JobJson } from "bullmq";
import { Cluster } from "ioredis";
import { type LineEventJob, lineEventsQueue } from "./catalog.ts";
import type { RedisConnection } from "./connection.ts";
import { openEventsQueue } from "./events-queue.ts";
import {
  ADMIT_TO_LANE,
  dedupeIdFor,
  eventKeyOf,
  jobIdFor,
  LANE_TTL_SECONDS,
  laneOf,
  type RedisKeys,
} from "./redis-model/keys.ts";
import { defineScript } from "./scripts.ts";
import {
  connectEveryMaster,
  copyScripts,
  firstReady,
  openTransactionConnection,
} from "./transaction-connection.ts";

/** How many of a request's events were new, and how many were already queued or handled. */
export interface EnqueueReport {
  enqueued: number;
  duplicates: number;
}

export interface EventEnqueuer {
  /**
   * Resolves once every event is durably in Redis, new or already there (a redelivery), saying
   * how many were which. Rejects with an EventsNotStorableError when the request's own events
   * cannot be stored.
   */
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
  connection: RedisConnection;
  /** The data model, with the deployment's shard layout. */
  keys: RedisKeys;
  /** How long an event's id is remembered to refuse redeliveries (default 24 h). */
  dedupeTtlMs?: number;
  /**
   * INGRESS_MIN_REPLICAS: a write counts as stored only once `WAIT` says this many replicas of the
   * node that took it have it (0, the default: once the master has it).
   */
  minReplicas?: number;
  /** How long `WAIT` may wait for those replicas (default 500 ms); never 0, which waits forever. */
  replicaTimeoutMs?: number;
  /**
   * INGRESS_WRITE_WINDOW_MS: how long a batch stays open for more requests after its first one
   * (default DEFAULT_WRITE_WINDOW_MS); 0 sends it at the end of the event loop's turn.
   */
  writeWindowMs?: number;
  /**
   * INGRESS_WRITE_BATCH_MAX: a batch leaves as soon as its requests hold this many events, before
   * its window ends (default DEFAULT_WRITE_BATCH_MAX).
   */
  writeBatchMax?: number;
}

/** The request's own events cannot be stored (nested too deeply to serialise, say): a 400. */
export class EventsNotStorableError extends Error {
  readonly code = "LF_EVENTS_NOT_STORABLE" satisfies ErrorCode;
  constructor(cause: unknown) {
    super(`the request's events cannot be stored: ${(cause as Error)?.message ?? cause}`, {
      cause,
    });
    this.name = "EventsNotStorableError";
  }
}

/**
 * Fewer replicas than INGRESS_MIN_REPLICAS confirmed a write within the bound: the master has it,
 * but would lose it if it died now. The request is answered 503 (or spooled); the redelivery is
 * deduped, and confirmed in turn.
 */
export class ReplicasNotConfirmedError extends Error {
  readonly code = "LF_REPLICAS_NOT_CONFIRMED" satisfies ErrorCode;
  constructor(confirmed: number, wanted: number, timeoutMs: number) {
    super(`${confirmed} of ${wanted} replica(s) confirmed the write within ${timeoutMs} ms`);
    this.name = "ReplicasNotConfirmedError";
  }
}

/**
 * Events per transaction, at most. Each costs two script calls (its lane, BullMQ's add) of about
 * 25–130 µs, so no transaction blocks Redis for more than a few milliseconds.
 */
export const EVENTS_PER_TRANSACTION = 100;
/**
 * How long a batch waits for more requests by default. At 2,000 req/s a turn of the event loop
 * holds about one request, so batching by turn left each request paying its own MULTI and socket
 * write; a millisecond gathers a few, for at most a millisecond more on each acknowledgement.
 */
export const DEFAULT_WRITE_WINDOW_MS = 1;
/** Events after which a batch leaves at once: one full transaction (as EVENTS_PER_TRANSACTION). */
export const DEFAULT_WRITE_BATCH_MAX = 100;
/**
 * A request with more events is split into transactions sent this many at a time, so that the
 * batches of other requests, on the same connection, get in between.
 */
const LARGE_REQUEST_TRANSACTIONS_IN_FLIGHT = 4;

interface Pending {
  channel: string;
  destination: string;
  events: readonly WebhookEvent[];
  receivedAt: number;
  resolve(report: EnqueueReport): void;
  reject(error: unknown): void;
}

/** An event ready to be written: its lane, its shard and BullMQ's serialised job. */
interface Prepared {
  /** The event's id in Redis: its channel and webhookEventId (eventKeyOf). */
  eventKey: string;
  timestamp: number;
  lane: string | undefined;
  shard: number;
  job: JobJson;
  jobId: string;
}

/** The events of one request on one shard (all, or a slice of a large one) in one transaction. */
interface Part {
  events: Prepared[];
  resolve(report: EnqueueReport): void;
  reject(error: unknown): void;
}

/**
 * Admits webhook events into the queue in MULTIs, one per shard: one round trip each, applied
 * whole. For each event, its lane entry (see redis-model/lanes.ts) and its job with its dedupe
 * mark (BullMQ's deduplication id, set by BullMQ's own add script) are written together, so an
 * event is never marked without being queued, never queued twice, and never re-enters its lane
 * once handled. An event goes to its lane's shard (so a chat's events stay together and in
 * order); an event without a chat goes to the shard its key hashes to (spread, and stable across
 * redeliveries, so its dedupe mark is always found).
 *
 * The requests that arrive within a write window (writeWindowMs after the first of them, or until
 * they hold writeBatchMax events) share those MULTIs: under load this spreads the round trips and
 * their socket writes over many requests, and no request waits longer than the window for its
 * batch to leave. Each request is still answered only once its own events are stored. Yet one
 * request never hurts another: each
 * request's jobs are serialised before anything is written, so one that cannot be fails alone; a
 * transaction holds at most EVENTS_PER_TRANSACTION events, a larger request being split (atomic
 * per transaction: if one fails the request is answered 503, or spooled, and the events that did
 * land are deduped when they come again); and each request learns the outcome of its own commands
 * only.
 */
export function createEventEnqueuer({
  connection,
  keys,
  dedupeTtlMs = lineEventsQueue.dedupeTtlMs,
  minReplicas = 0,
  replicaTimeoutMs = 500,
  writeWindowMs = DEFAULT_WRITE_WINDOW_MS,
  writeBatchMax = DEFAULT_WRITE_BATCH_MAX,
}: EventEnqueuerOptions): EventEnqueuer {
  if (minReplicas > 0 && !(replicaTimeoutMs >= 1)) {
    throw new Error(`replicaTimeoutMs must be at least 1, got ${replicaTimeoutMs}`);
  }
  if (!(writeWindowMs >= 0))
    throw new Error(`writeWindowMs must be 0 or more, got ${writeWindowMs}`);
  if (!(writeBatchMax >= 1))
    throw new Error(`writeBatchMax must be at least 1, got ${writeBatchMax}`);
  const { layout } = keys;
  const queues = layout.shards.map((shard) =>
    openEventsQueue(
      layout.queueName(shard),
      { connection, prefix: keys.prefix },
      { defaultJobOptions: lineEventsQueue.jobOptions },
    ),
  );
  const queueOf = (shard: number) => {
    const queue = queues[shard];
    if (!queue) throw new Error(`no queue for shard ${shard}`);
    return queue;
  };
  // The MULTIs go out on a connection of their own, which carries only the scripts they run (see
  // transaction-connection.ts): the lane's admission, defined here, and BullMQ's add scripts,
  // copied once BullMQ has defined them on the producer connection. Each is sent by SHA.
  const writer = openTransactionConnection(connection);
  const admitToLane = defineScript(writer, ADMIT_TO_LANE);
  let writerReady: Promise<void> | undefined;
  const whenWriterReady = () => {
    writerReady ??= (async () => {
      await queueOf(0).getBackend().client;
      copyScripts(connection, writer, (name) => /^add\w*Job:/.test(name));
      await firstReady(writer);
      await connectEveryMaster(writer);
    })().catch((error: unknown) => {
      writerReady = undefined;
      throw error;
    });
    return writerReady;
  };
  // Made ready now rather than by the first request, which would wait for it. A failure here (Redis
  // away at start) is met again, and reported, by the first write.
  void whenWriterReady().catch(() => {});
  const jobOptions = { ...lineEventsQueue.jobOptions };

  let batch: Pending[] = [];
  /** Events in `batch`, and the timer (or immediate) that sends it when its window ends. */
  let batchEvents = 0;
  let windowEnd: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;

  /** BullMQ's job for each event, on its shard; throws if one cannot be serialised. */
  function prepare({ channel, destination, events, receivedAt }: Pending): Prepared[] {
    return events.map((event) => {
      // Two channels' events never collide, whatever their webhookEventIds.
      const eventKey = eventKeyOf(channel, event.webhookEventId);
      const jobId = jobIdFor(eventKey);
      const lane = laneOf(destination, event.source);
      // An event without a chat needs no order, but its dedupe mark lives in its shard's queue: it
      // takes the shard its key hashes to, so a redelivery meets its mark on the same shard.
      const shard = layout.shardOfLane(lane ?? eventKey);
      const job = new Job<LineEventJob>(
        queueOf(shard),
        event.type,
        { channel, destination, event, receivedAt },
        {
          ...jobOptions,
          deduplication: { id: dedupeIdFor(eventKey), ttl: dedupeTtlMs },
        },
        jobId,
      );
      return {
        eventKey,
        timestamp: event.timestamp,
        lane,
        shard,
        job: job.asJSON(),
        jobId,
      };
    });
  }

  /** One MULTI on the shard for the parts; each settles by its own commands' results. Never rejects. */
  function write(shard: number, parts: Part[]): Promise<void> {
    return writeParts(shard, parts).catch((error: unknown) => {
      for (const part of parts) part.reject(error);
    });
  }

  async function writeParts(shard: number, parts: Part[]) {
    const queue = queueOf(shard);
    const backend = queue.getBackend();
    await whenWriterReady();
    // With replicas to confirm, a pipeline holding the MULTI then WAIT (ioredis's documented
    // pipeline().multi()…exec()…exec()): WAIT must go on the connection, to the node, that took
    // the write, since it waits for that connection's last write; on a Cluster a pipeline goes
    // to its slot's node whole. WAIT inside the MULTI would not block, and one sent apart could
    // reach another node after a failover.
    const confirm = minReplicas > 0;
    const commands = confirm ? writer.pipeline() : writer.multi();
    // ioredis's pipeline has multi() (it opens a transaction in it), untyped on ChainableCommander.
    if (confirm) (commands as unknown as { multi(): void }).multi();
    // BullMQ queues its add script through `runCommand(name, args)` on a transaction of its own
    // client type; the writer's MULTI has the script under that name (copied above).
    const defined = commands as unknown as Record<
      string,
      ((args: unknown[]) => unknown) | undefined
    >;
    /** A script BullMQ asked for that the writer lacks (a BullMQ with other add scripts). */
    let missing: string | undefined;
    const transaction = {
      runCommand(name: string, args: unknown[]) {
        const script = defined[name];
        if (script) script.call(commands, args);
        else missing = name;
        return transaction;
      },
    };
    const bullTransaction = transaction as unknown as Parameters<
      typeof backend.addJobToTransaction
    >[0];
    const ranges: number[] = [];
    // Per event, where the answer that tells new from duplicate lands, and how to read it. That
    // answer comes with the same exec, so telling them apart costs no round trip. BullMQ's add
    // cannot tell: job ids derive from webhookEventId, so it returns the same id either way.
    const checks: Array<{ at: number; newIf: 0 | 1 }> = [];
    let count = 0;
    for (const part of parts) {
      for (const event of part.events) {
        const dedupeKey = keys.dedupe(queue.name, event.eventKey);
        if (event.lane) {
          // Answers 1 when the event is new (and enters its lane), 0 for a duplicate.
          admitToLane.queue(
            commands,
            dedupeKey,
            keys.lane(event.lane),
            event.timestamp,
            // The lane holds job ids: a worker knows its event by its job.
            event.jobId,
            LANE_TTL_SECONDS,
          );
          checks.push({ at: count, newIf: 1 });
        } else {
          commands.exists(dedupeKey);
          checks.push({ at: count, newIf: 0 });
        }
        count++;
        // Queues BullMQ's add script into the transaction; its result arrives with exec().
        void backend.addJobToTransaction(bullTransaction, event.job, event.jobId).catch(() => {});
        // Checked here, since BullMQ's call swallows it: the replies would no longer line up.
        if (missing) throw new Error(`BullMQ's script ${missing} is not on the enqueue connection`);
        count++;
      }
      ranges.push(count);
    }
    let results: Array<[Error | null, unknown]> | null;
    try {
      if (confirm) {
        // Ends the MULTI (inside a pipeline this queues EXEC and sends nothing yet).
        void commands.exec();
        // A duplicate is confirmed too: it may be the redelivery of a write that was not. BullMQ's
        // add script always writes (it INCRs the queue's id counter before it looks for the
        // job), so this connection's last write, which WAIT waits for, comes after the first
        // write of the event, whichever connection made it.
        commands.wait(minReplicas, replicaTimeoutMs);
        results = confirmedResults(
          (await commands.exec()) as Array<[Error | null, unknown]>,
          count,
        );
      } else {
        results = (await commands.exec()) as Array<[Error | null, unknown]> | null;
      }
      if (!results) throw new Error("the enqueue transaction was aborted");
    } catch (error) {
      for (const part of parts) part.reject(error);
      return;
    }
    let start = 0;
    let event = 0;
    parts.forEach((part, index) => {
      const end = ranges[index] ?? start;
      const failed = results.slice(start, end).find(([error]) => error);
      const report: EnqueueReport = { enqueued: 0, duplicates: 0 };
      for (let i = 0; i < part.events.length; i++, event++) {
        const check = checks[event] as { at: number; newIf: 0 | 1 };
        if (Number(results[check.at]?.[1]) === check.newIf) report.enqueued++;
        else report.duplicates++;
      }
      if (failed) part.reject(failed[0]);
      else part.resolve(report);
      start = end;
    });
  }

  /**
   * The replies of MULTI, the `count` commands, EXEC and WAIT, as `multi.exec()` gives them: one
   * [error, result] per command. Throws when the transaction failed or when too few replicas
   * confirmed it. On a Cluster, ioredis resends a redirected pipeline (MOVED, after a failover) only
   * when every command outside its MULTI is read-only, which WAIT is not: the request is answered
   * 503 (or spooled), and the slot table refreshed here, as ioredis would have, for the next ones.
   */
  function confirmedResults(
    replies: Array<[Error | null, unknown]>,
    count: number,
  ): Array<[Error | null, unknown]> | null {
    const exec = replies[count + 1];
    const wait = replies[count + 2];
    if (!exec || !wait) throw new Error("the enqueue pipeline returned too few replies");
    if (exec[0]) {
      const cause = replies.slice(1, count + 1).find(([error]) => error)?.[0] ?? exec[0];
      if (writer instanceof Cluster && /^(MOVED|ASK) /.test(cause.message)) {
        writer.refreshSlotsCache();
      }
      throw cause;
    }
    if (exec[1] === null) return null;
    if (wait[0]) throw wait[0];
    if (Number(wait[1]) < minReplicas) {
      throw new ReplicasNotConfirmedError(Number(wait[1]), minReplicas, replicaTimeoutMs);
    }
    // Inside EXEC's reply a failed command's error stands in place of its result.
    return (exec[1] as unknown[]).map((reply) =>
      reply instanceof Error ? [reply, undefined] : [null, reply],
    );
  }

  /** The transactions of a request's events on one shard too many for one, a few at a time. */
  async function writeLarge(shard: number, events: Prepared[]): Promise<EnqueueReport> {
    const total: EnqueueReport = { enqueued: 0, duplicates: 0 };
    const chunks: Prepared[][] = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_TRANSACTION) {
      chunks.push(events.slice(i, i + EVENTS_PER_TRANSACTION));
    }
    let next = 0;
    const lane = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++] ?? [];
        const report = await new Promise<EnqueueReport>((resolve, reject) => {
          void write(shard, [{ events: chunk, resolve, reject }]);
        });
        total.enqueued += report.enqueued;
        total.duplicates += report.duplicates;
      }
    };
    await Promise.all(Array.from({ length: LARGE_REQUEST_TRANSACTIONS_IN_FLIGHT }, lane));
    return total;
  }

  function flush() {
    if (windowEnd !== undefined) {
      clearTimeout(windowEnd as ReturnType<typeof setTimeout>);
      clearImmediate(windowEnd as ReturnType<typeof setImmediate>);
      windowEnd = undefined;
    }
    const requests = batch;
    batch = [];
    batchEvents = 0;
    /** Per shard, the transaction being filled: its parts and how many events they hold. */
    const open = new Map<number, { parts: Part[]; size: number }>();
    const join = (shard: number, events: Prepared[]) =>
      new Promise<EnqueueReport>((resolve, reject) => {
        let transaction = open.get(shard);
        if (transaction && transaction.size + events.length > EVENTS_PER_TRANSACTION) {
          void write(shard, transaction.parts);
          transaction = undefined;
        }
        if (!transaction) {
          transaction = { parts: [], size: 0 };
          open.set(shard, transaction);
        }
        transaction.parts.push({ events, resolve, reject });
        transaction.size += events.length;
      });
    for (const request of requests) {
      let events: Prepared[];
      try {
        events = prepare(request);
      } catch (error) {
        request.reject(new EventsNotStorableError(error));
        continue;
      }
      const byShard = new Map<number, Prepared[]>();
      for (const event of events) {
        const onShard = byShard.get(event.shard);
        if (onShard) onShard.push(event);
        else byShard.set(event.shard, [event]);
      }
      // A request whose shards all took their events is queued; one a failing shard touched is
      // not (it answers 503, or is spooled).
      const reports = [...byShard].map(([shard, onShard]) =>
        onShard.length > EVENTS_PER_TRANSACTION ? writeLarge(shard, onShard) : join(shard, onShard),
      );
      Promise.all(reports).then(
        (parts) =>
          request.resolve({
            enqueued: parts.reduce((sum, part) => sum + part.enqueued, 0),
            duplicates: parts.reduce((sum, part) => sum + part.duplicates, 0),
          }),
        request.reject,
      );
    }
    for (const [shard, transaction] of open) void write(shard, transaction.parts);
  }

  return {
    enqueue(destination, events, receivedAt, channel = "default") {
      if (events.length === 0) return Promise.resolve({ enqueued: 0, duplicates: 0 });
      return new Promise<EnqueueReport>((resolve, reject) => {
        batch.push({ channel, destination, events, receivedAt, resolve, reject });
        batchEvents += events.length;
        if (batchEvents >= writeBatchMax) flush();
        else if (windowEnd === undefined) {
          windowEnd = writeWindowMs > 0 ? setTimeout(flush, writeWindowMs) : setImmediate(flush);
        }
      });
    },
    close: async () => {
      await Promise.all(queues.map((queue) => queue.close()));
      await writer.quit().catch(() => writer.disconnect());
    },
  };
}
