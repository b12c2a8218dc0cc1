import type { Logger } from "@linefleet/log";
import { Journal, JournalFullError } from "./journal.ts";

export interface SpoolOptions<T> {
  /** Directory of the journal; created if missing. Put it on a disk that outlives the process. */
  dir: string;
  /** Largest journal in bytes; an append beyond it is refused with JournalFullError. */
  maxBytes: number;
  /** Puts spooled items back where they belong (Redis); rejects while it cannot take them. */
  replay(items: T[]): Promise<void>;
  logger: Pick<Logger, "info" | "warn">;
  /** First wait between replay attempts while the target is away; doubles up to 2 s. */
  retryDelayMs?: number;
  /** Items handed to `replay` at once. */
  batchSize?: number;
}

/** Counters for the spool, shaped for a metrics exporter (gauges and monotonic totals). */
export interface SpoolStats {
  /** Whether requests are going to the journal rather than straight to Redis. */
  spooling: boolean;
  /** Items in the journal not yet replayed. */
  pendingItems: number;
  /** Size of the journal file in bytes. */
  journalBytes: number;
  maxBytes: number;
  /** Items written to the journal since start. */
  spooledTotal: number;
  /** Items replayed from the journal since start (those left by an earlier run included). */
  replayedTotal: number;
  /** Items refused because the journal was full. */
  refusedTotal: number;
  /** Bytes of a torn or damaged journal tail skipped at start. */
  damagedBytesTotal: number;
}

export interface Spool<T> {
  /** True from the first item spooled until the journal is replayed: keep appending meanwhile, in order. */
  readonly spooling: boolean;
  /** Resolves once `item` is durably in the journal (fsynced); rejects with JournalFullError when full. */
  append(item: T): Promise<void>;
  stats(): SpoolStats;
  /** Waits up to `drainMs` for the journal to be replayed, then stops; what is left stays on disk. */
  close(drainMs?: number): Promise<void>;
}

/**
 * A local, durable stand-in for Redis while Redis cannot take writes: items go to an append-only
 * journal and are replayed, oldest first, as soon as `replay` succeeds again. The journal is read
 * at open, so items spooled before a crash are replayed after the restart.
 */
export async function openSpool<T>(options: SpoolOptions<T>): Promise<Spool<T>> {
  const { logger } = options;
  const baseDelayMs = options.retryDelayMs ?? 200;
  const batchSize = options.batchSize ?? 200;
  const journal = await Journal.open(options.dir, options.maxBytes);
  const counters = { spooledTotal: 0, replayedTotal: 0, refusedTotal: 0, damagedBytesTotal: 0 };
  if (journal.damage) {
    counters.damagedBytesTotal = journal.damage.bytes;
    logger.warn(
      { ...journal.damage, dir: options.dir },
      "spool journal had a torn or damaged tail; skipped it (saved beside the journal)",
    );
  }

  let spooling = false;
  let closed = false;
  let draining: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let drained: Array<() => void> = [];

  function start(reason: string) {
    if (!spooling) {
      spooling = true;
      logger.warn(
        { reason, dir: options.dir },
        "spooling started: requests go to the local journal",
      );
    }
    draining ??= drain().finally(() => {
      draining = undefined;
    });
  }

  async function drain() {
    let delayMs = baseDelayMs;
    let failing = false;
    while (!closed) {
      const batch = journal.peek(batchSize);
      if (batch.length === 0) {
        if (await journal.clearIfReplayed()) {
          spooling = false;
          logger.info(
            { replayedTotal: counters.replayedTotal },
            "spooling stopped: journal replayed",
          );
          for (const resolve of drained) resolve();
          drained = [];
          return;
        }
        continue;
      }
      const items: T[] = [];
      for (const payload of batch) {
        try {
          items.push(JSON.parse(payload.toString("utf8")) as T);
        } catch {
          // The checksum matched, so only a bug could write this; never let it block the rest.
          logger.warn({ bytes: payload.length }, "spool record is not JSON; skipped");
        }
      }
      try {
        if (items.length > 0) await options.replay(items);
      } catch (error) {
        if (!failing)
          logger.warn({ err: error }, "spool replay failed; retrying until Redis answers");
        failing = true;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, delayMs);
        });
        delayMs = Math.min(delayMs * 2, 2_000);
        continue;
      }
      failing = false;
      delayMs = baseDelayMs;
      await journal.consume(batch.length);
      counters.replayedTotal += items.length;
    }
  }

  if (journal.records > 0) {
    logger.info(
      { items: journal.records },
      "spool journal holds items from an earlier run; replaying",
    );
    start("items left by an earlier run");
  }

  return {
    get spooling() {
      return spooling;
    },
    async append(item) {
      if (closed) throw new Error("the spool is closed");
      try {
        const pending = journal.append(Buffer.from(JSON.stringify(item), "utf8"));
        start("Redis did not take the events in time");
        await pending;
      } catch (error) {
        if (error instanceof JournalFullError) counters.refusedTotal++;
        throw error;
      }
      counters.spooledTotal++;
    },
    stats: () => ({
      spooling,
      pendingItems: journal.records,
      journalBytes: journal.bytes,
      maxBytes: options.maxBytes,
      ...counters,
    }),
    async close(drainMs = 0) {
      if (spooling && drainMs > 0) {
        await Promise.race([
          new Promise<void>((resolve) => drained.push(resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, drainMs).unref()),
        ]);
      }
      closed = true;
      wake?.();
      await draining;
      await journal.close();
      if (journal.records > 0) {
        logger.warn(
          { items: journal.records },
          "spool closed with items left; replayed at next start",
        );
      }
    },
  };
}
