import type { ErrorCode } from "@linefleet/errors";
import type { WebhookEvent } from "@linefleet/webhook";
import { Job, type JobJson } from "bullmq";
import { Cluster } from "ioredis";
import { type LineEventJob, lineEventsQueue } from "./catalog.ts";
import type { RedisConnection } from "./connection.ts";
import { openEventsQueue } from "./events-queue.ts";
import { ADMIT_EVENTS_NAME, admitEventsLua, BULLMQ_ADD_KEYS } from "./redis-model/admit-events.ts";
import {
  eventKeyOf,
  jobIdFor,
  LANE_TTL_SECONDS,
  laneOf,
  type RedisKeys,
} from "./redis-model/keys.ts";
import {
  connectEveryMaster,
  definedScript,
  failOnClose,
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
  /**
   * Resolves once the enqueuer can write: its connection ready, BullMQ's add script found and
   * wrapped. Rejects, for good, only when the installed BullMQ has no add script linefleet can
   * wrap (another BullMQ version): a process should stop then, rather than answer 503 forever.
   */
  ready(): Promise<void>;
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
  /**
   * How long a script call may go unanswered before it stops holding back its shard's next calls
   * (default 1,000 ms; the ingress passes ENQUEUE_TIMEOUT_MS, after which its requests were
   * answered anyway): it then fails, as if its connection had closed.
   */
  callTimeoutMs?: number;
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
 * Events per script call, at most. Each costs about 25–130 µs of Redis (its lane, BullMQ's add,
 * its mark), so no call blocks Redis for more than a few milliseconds.
 */
export const EVENTS_PER_TRANSACTION = 100;
/**
 * How long a batch waits for more requests by default. At 2,000 req/s a turn of the event loop
 * holds about one request, so batching by turn left each request paying its own write and socket
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
/** Why a part was not written: an earlier event of its chat was not stored (see `unstoredLanes`). */
const OVERTAKES_MESSAGE =
  "not written: an earlier event of the same chat was not stored, and this one must not overtake it";

interface Pending {
  /** The request's place in the order requests came in (see `unstoredLanes`). */
  seq: number;
  channel: string;
  destination: string;
  events: readonly WebhookEvent[];
  receivedAt: number;
  resolve(report: EnqueueReport): void;
  reject(error: unknown): void;
}

/** An event ready to be written: its keys on its shard and BullMQ's arguments for its add. */
interface Prepared {
  timestamp: number;
  /** Its lane's key, when it has a chat. */
  lane: string | undefined;
  shard: number;
  jobId: string;
  jobKey: string;
  mark: { key: string; field: string };
  /** The key an earlier linefleet marked it with (keys.legacyDedupeMark), read, never written. */
  legacyMark: string;
  /** The name BullMQ runs its add script by, for this job. */
  addScript: string;
  /** What BullMQ passes its add script: its 9 keys, then its 3 arguments. */
  addArgs: unknown[];
}

/** The events of one request on one shard (all, or a slice of a large one) in one transaction. */
interface Part {
  /** Its request's `seq`. */
  seq: number;
  events: Prepared[];
  resolve(report: EnqueueReport): void;
  reject(error: unknown): void;
}

/**
 * Admits webhook events into the queue with one script call per shard (redis-model/admit-events.ts):
 * one round trip each, atomic. For each event, its lane entry (see redis-model/lanes.ts), its job
 * (BullMQ's own add script) and its dedupe mark (redis-model/dedupe-marks.ts) are written
 * together, so an event is never marked without being queued, never queued twice, and never
 * re-enters its lane once handled. An event goes to its lane's shard (so a chat's events stay
 * together and in order); an event without a chat goes to the shard its key hashes to (spread,
 * and stable across redeliveries, so its dedupe mark is always found).
 *
 * The requests that arrive within a write window (writeWindowMs after the first of them, or until
 * they hold writeBatchMax events) share those calls: under load this spreads the round trips and
 * their socket writes over many requests, and no request waits longer than the window for its
 * batch to leave. Each request is still answered only once its own events are stored. Yet one
 * request never hurts another: each request's jobs are serialised before anything is written, so
 * one that cannot be fails alone; a call holds at most EVENTS_PER_TRANSACTION events, a larger
 * request being split (atomic per call: if one fails the request is answered 503, or spooled, and
 * the events that did land are deduped when they come again); and a failed call answers only the
 * requests of its batch, and those of the same chats behind it.
 *
 * Those are the one way a request hurts another: an event that is not stored comes again later
 * (LINE's redelivery, or the spool's replay), so its chat's later events must not be stored first.
 * A shard has one call in flight at a time (see `write`), and the later events of a chat one of
 * whose events was not stored, of requests already submitted, fail in turn (see `unstoredLanes`).
 */
export function createEventEnqueuer({
  connection,
  keys,
  dedupeTtlMs = lineEventsQueue.dedupeTtlMs,
  minReplicas = 0,
  replicaTimeoutMs = 500,
  writeWindowMs = DEFAULT_WRITE_WINDOW_MS,
  writeBatchMax = DEFAULT_WRITE_BATCH_MAX,
  callTimeoutMs = 1_000,
}: EventEnqueuerOptions): EventEnqueuer {
  if (minReplicas > 0 && !(replicaTimeoutMs >= 1)) {
    throw new Error(`replicaTimeoutMs must be at least 1, got ${replicaTimeoutMs}`);
  }
  if (!(writeWindowMs >= 0))
    throw new Error(`writeWindowMs must be 0 or more, got ${writeWindowMs}`);
  if (!(writeBatchMax >= 1))
    throw new Error(`writeBatchMax must be at least 1, got ${writeBatchMax}`);
  if (!(callTimeoutMs >= 1))
    throw new Error(`callTimeoutMs must be at least 1, got ${callTimeoutMs}`);
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
  // The scripts go out on a connection of their own, which carries only the one script they run
  // (see transaction-connection.ts), built around BullMQ's add script once BullMQ has defined it
  // on the producer connection. It is sent by SHA.
  const writer = openTransactionConnection(connection);
  const unlessClosed = failOnClose(writer);
  const admitEvents = writer as unknown as Record<
    string,
    ((...args: unknown[]) => Promise<unknown>) | undefined
  >;
  const jobOptions = { ...lineEventsQueue.jobOptions };
  /** The name BullMQ runs its add script by (`<script>:<version>`), learnt from BullMQ itself. */
  let addScript: string | undefined;
  /** Set for good when BullMQ's add script cannot be wrapped: every write fails with it. */
  let unusable: Error | undefined;
  let writerReady: Promise<void> | undefined;
  const whenWriterReady = () => {
    if (unusable) return Promise.reject(unusable);
    writerReady ??= (async () => {
      await queueOf(0).getBackend().client;
      if (!addScript) {
        try {
          const probe = capture(
            queueOf(0),
            new Job(queueOf(0), "probe", {}, jobOptions, "probe").asJSON(),
            "probe",
          );
          const lua = admitEventsLua(definedScript(connection, probe.name).lua);
          if (typeof admitEvents[ADMIT_EVENTS_NAME] !== "function") {
            writer.defineCommand(ADMIT_EVENTS_NAME, { lua });
          }
          addScript = probe.name;
        } catch (error) {
          unusable = error as Error;
          throw error;
        }
      }
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
  const ready = whenWriterReady().catch((error: unknown) => {
    if (unusable) throw error;
    return undefined;
  });
  ready.catch(() => {});

  let batch: Pending[] = [];
  /** Events in `batch`, and the timer (or immediate) that sends it when its window ends. */
  let batchEvents = 0;
  let windowEnd: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;

  /** BullMQ's keys and arguments for its add script for the job (and the script's name). */
  function capture(queue: ReturnType<typeof queueOf>, job: JobJson, jobId: string) {
    let captured: { name: string; args: unknown[] } | undefined;
    const transaction = {
      runCommand(name: string, args: unknown[]) {
        captured = { name, args };
        return transaction;
      },
    };
    // BullMQ packs the job's arguments and calls runCommand before its first await.
    void queue
      .getBackend()
      .addJobToTransaction(
        transaction as unknown as Parameters<
          ReturnType<typeof queue.getBackend>["addJobToTransaction"]
        >[0],
        job,
        jobId,
      )
      .catch(() => {});
    if (!captured || captured.args.length !== BULLMQ_ADD_KEYS + 3) {
      throw new Error(`BullMQ did not queue its add script for job ${jobId} as expected`);
    }
    return captured;
  }

  /** BullMQ's job for each event, on its shard; throws if one cannot be serialised. */
  function prepare({ channel, destination, events, receivedAt }: Pending): Prepared[] {
    return events.map((event) => {
      // Two channels' events never collide, whatever their webhookEventIds.
      const eventKey = eventKeyOf(channel, event.webhookEventId);
      const jobId = jobIdFor(eventKey);
      const lane = laneOf(destination, event.source);
      // An event without a chat needs no order, but its dedupe mark lives in its shard: it takes
      // the shard its key hashes to, so a redelivery meets its mark on the same shard.
      const shard = layout.shardOfLane(lane ?? eventKey);
      const queue = queueOf(shard);
      const job = new Job<LineEventJob>(
        queue,
        event.type,
        { channel, destination, event, receivedAt },
        jobOptions,
        jobId,
      );
      const add = capture(queue, job.asJSON(), jobId);
      const mark = keys.dedupeMark(shard, eventKey, event.timestamp);
      return {
        timestamp: event.timestamp,
        lane: lane === undefined ? undefined : keys.lane(lane),
        shard,
        jobId,
        jobKey: keys.queueKey(shard, jobId),
        mark,
        // The mark's field is the event's dedupe id: hashed once for both.
        legacyMark: keys.legacyDedupeMark(shard, mark.field),
        addScript: add.name,
        addArgs: add.args,
      };
    });
  }

  /** Requests submitted so far: the `seq` of the latest. */
  let submitted = 0;
  /** Requests submitted and not yet answered; `unstoredLanes` is cleared when none is left. */
  let unanswered = 0;
  /**
   * The lanes (chats) one of whose events was not stored, each with the `seq` of the latest
   * request submitted when that became known. That event's request is answered 503, or spooled,
   * so its chat's later events, of requests submitted before then and not yet written, must not
   * be stored before it: their parts are failed too (see `overtakes`), in turn. The requests
   * that come later go to the spool behind it, in order (the ingress spools every request while
   * its spool holds any), or, without a spool, wait for LINE's redelivery.
   */
  const unstoredLanes = new Map<string, number>();
  /** Per shard, the script calls waiting for the one in flight, and whether one is. */
  const shardCalls = new Map<number, { inFlight: boolean; waiting: Part[][] }>();

  /** The part is not stored: it fails, and so will its chats' later events not yet written. */
  function fail(part: Part, error: unknown) {
    for (const event of part.events) if (event.lane) unstoredLanes.set(event.lane, submitted);
    part.reject(error);
  }

  /** Whether the part holds an event whose chat has an earlier event, submitted before it, not stored. */
  function overtakes(part: Part) {
    // Nearly always: nothing failed while this part's request was pending. No look-up per event.
    if (unstoredLanes.size === 0) return false;
    for (const event of part.events) {
      const until = event.lane === undefined ? undefined : unstoredLanes.get(event.lane);
      if (until !== undefined && part.seq <= until) return true;
    }
    return false;
  }

  /**
   * Queues one script call on the shard for the parts; each settles by its own events' answers.
   *
   * A shard has one call in flight at a time, the next sent once it is answered: so a chat's
   * events (all on its lane's shard) reach Redis in the order their requests came, even when a
   * call fails and a later one would not (a failover can fail the one sent to the old master and
   * pass the next, sent once the client learnt the new one; seen in the cluster's master-kill
   * test), and when ioredis sends a call again after a redirection. Redis runs one script at a
   * time anyway, so this costs a round trip between calls, and the calls that queue meanwhile
   * leave together, as one.
   */
  function write(shard: number, parts: Part[]) {
    let calls = shardCalls.get(shard);
    if (!calls) {
      calls = { inFlight: false, waiting: [] };
      shardCalls.set(shard, calls);
    }
    calls.waiting.push(parts);
    sendNext(shard, calls);
  }

  function sendNext(shard: number, calls: { inFlight: boolean; waiting: Part[][] }) {
    while (!calls.inFlight) {
      const parts = calls.waiting.shift();
      if (!parts) {
        shardCalls.delete(shard);
        return;
      }
      // The calls that queued up meanwhile go as one, as far as a call's size allows: fewer,
      // fuller round trips, in the same order.
      let size = parts.reduce((sum, part) => sum + part.events.length, 0);
      for (;;) {
        const next = calls.waiting[0];
        const more = next?.reduce((sum, part) => sum + part.events.length, 0) ?? 0;
        if (!next || size + more > EVENTS_PER_TRANSACTION) break;
        calls.waiting.shift();
        parts.push(...next);
        size += more;
      }
      const sendable = parts.filter((part) => {
        if (!overtakes(part)) return true;
        fail(part, new Error(OVERTAKES_MESSAGE));
        return false;
      });
      if (sendable.length === 0) continue;
      calls.inFlight = true;
      let answered = false;
      const release = () => {
        if (answered) return;
        answered = true;
        clearTimeout(stalled);
        calls.inFlight = false;
        sendNext(shard, calls);
      };
      // A call Redis does not answer (a node that went away without closing its socket, say)
      // must not hold its shard for good. By now its requests were answered 503, or spooled, so
      // it fails: its chats' events queued behind it fail in turn, and the shard goes on. Should
      // it land later, what came again meanwhile, in order, was stored first, and its copies are
      // refused as duplicates.
      const stalled = setTimeout(() => {
        const error = new Error(`Redis did not answer the enqueue within ${callTimeoutMs} ms`);
        for (const part of sendable) fail(part, error);
        release();
      }, callTimeoutMs);
      void writeParts(sendable, () => answered)
        .catch((error: unknown) => {
          if (!answered) for (const part of sendable) fail(part, error);
        })
        .finally(release);
    }
  }

  /** Writes the parts, and settles each by its answers unless `abandoned()` by then. */
  async function writeParts(parts: Part[], abandoned: () => boolean) {
    await whenWriterReady();
    const first = parts[0]?.events[0];
    if (!first) return;
    // BullMQ's keys are the shard queue's, the same for every event: passed once.
    const scriptKeys = first.addArgs.slice(0, BULLMQ_ADD_KEYS) as string[];
    const scriptArgs: unknown[] = [dedupeTtlMs, LANE_TTL_SECONDS];
    let count = 0;
    for (const part of parts) {
      for (const event of part.events) {
        if (event.addScript !== addScript) {
          throw new Error(
            `BullMQ chose its script ${event.addScript}, not ${addScript}, for a job`,
          );
        }
        scriptKeys.push(event.jobKey, event.mark.key, event.legacyMark);
        if (event.lane) scriptKeys.push(event.lane);
        scriptArgs.push(
          event.lane ? "1" : "0",
          // A lane's score must be a number; the schema requires one, this keeps a bad one local.
          Number.isFinite(event.timestamp) ? event.timestamp : 0,
          // The lane holds job ids: a worker knows its event by its job.
          event.jobId,
          event.mark.field,
          ...event.addArgs.slice(BULLMQ_ADD_KEYS),
        );
        count++;
      }
    }
    let answers: unknown[];
    try {
      const call = [scriptKeys.length, ...scriptKeys, ...scriptArgs];
      if (minReplicas > 0 || writer instanceof Cluster) {
        // With replicas to confirm, a pipeline holding the script then WAIT: WAIT must go on the
        // connection, to the node, that took the write, since it waits for that connection's
        // last write; on a Cluster a pipeline goes to its slot's node whole. One sent apart
        // could reach another node after a failover. On a Cluster, a pipeline even without WAIT:
        // once its node went away, ioredis fails a pipeline holding a write at once, where a
        // single command was seen left unanswered through the master-kill test's failover,
        // holding its shard until callTimeoutMs (see `write`).
        const pipeline = writer.pipeline();
        const queued = pipeline as unknown as Record<string, (...args: unknown[]) => unknown>;
        queued[ADMIT_EVENTS_NAME]?.(...call);
        if (minReplicas > 0) pipeline.wait(minReplicas, replicaTimeoutMs);
        answers = confirmed((await pipeline.exec()) as Array<[Error | null, unknown]> | null);
      } else {
        const run = admitEvents[ADMIT_EVENTS_NAME];
        if (!run) throw new Error("the enqueue script is not defined on its connection");
        answers = (await unlessClosed(run.apply(writer, call) as Promise<unknown>)) as unknown[];
      }
      if (!Array.isArray(answers) || answers.length !== count) {
        throw new Error("the enqueue script returned an unexpected reply");
      }
    } catch (error) {
      if (!abandoned()) for (const part of parts) fail(part, error);
      return;
    }
    if (abandoned()) return;
    let at = 0;
    for (const part of parts) {
      const report: EnqueueReport = { enqueued: 0, duplicates: 0 };
      let failure: string | undefined;
      for (let i = 0; i < part.events.length; i++, at++) {
        const answer = answers[at];
        if (typeof answer === "string") failure ??= answer;
        else if (Number(answer) === 1) report.enqueued++;
        else report.duplicates++;
      }
      if (failure) fail(part, new Error(failure));
      else part.resolve(report);
    }
  }

  /**
   * The script's answers, from the replies of the script and WAIT. Throws when the script failed
   * or when too few replicas confirmed it. On a Cluster, ioredis resends a redirected pipeline
   * (MOVED, after a failover) only when every command in it is read-only, which WAIT is not: the
   * request is answered 503 (or spooled), and the slot table refreshed here, as ioredis would
   * have, for the next ones.
   */
  function confirmed(replies: Array<[Error | null, unknown]> | null): unknown[] {
    const [script, wait] = replies ?? [];
    if (!script || (minReplicas > 0 && !wait)) {
      throw new Error("the enqueue pipeline returned too few replies");
    }
    if (script[0]) {
      if (writer instanceof Cluster && /^(MOVED|ASK) /.test(script[0].message)) {
        writer.refreshSlotsCache();
      }
      throw script[0];
    }
    if (!wait) return script[1] as unknown[];
    if (wait[0]) throw wait[0];
    if (Number(wait[1]) < minReplicas) {
      throw new ReplicasNotConfirmedError(Number(wait[1]), minReplicas, replicaTimeoutMs);
    }
    return script[1] as unknown[];
  }

  /** The script calls of a request's events on one shard too many for one, a few at a time. */
  async function writeLarge(
    seq: number,
    shard: number,
    events: Prepared[],
  ): Promise<EnqueueReport> {
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
          write(shard, [{ seq, events: chunk, resolve, reject }]);
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
    const join = (seq: number, shard: number, events: Prepared[]) =>
      new Promise<EnqueueReport>((resolve, reject) => {
        let transaction = open.get(shard);
        if (transaction && transaction.size + events.length > EVENTS_PER_TRANSACTION) {
          write(shard, transaction.parts);
          transaction = undefined;
        }
        if (!transaction) {
          transaction = { parts: [], size: 0 };
          open.set(shard, transaction);
        }
        transaction.parts.push({ seq, events, resolve, reject });
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
        onShard.length > EVENTS_PER_TRANSACTION
          ? writeLarge(request.seq, shard, onShard)
          : join(request.seq, shard, onShard),
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
    for (const [shard, transaction] of open) write(shard, transaction.parts);
  }

  return {
    ready: () => ready,
    enqueue(destination, events, receivedAt, channel = "default") {
      if (events.length === 0) return Promise.resolve({ enqueued: 0, duplicates: 0 });
      const seq = ++submitted;
      unanswered++;
      const answered = () => {
        if (--unanswered === 0) unstoredLanes.clear();
      };
      return new Promise<EnqueueReport>((resolve, reject) => {
        batch.push({
          seq,
          channel,
          destination,
          events,
          receivedAt,
          resolve: (report) => {
            answered();
            resolve(report);
          },
          reject: (error) => {
            answered();
            reject(error);
          },
        });
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
