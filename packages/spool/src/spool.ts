import type { ErrorCode } from "@linefleet/errors";
import type { Logger } from "@linefleet/log";
import { Journal, JournalFullError } from "./journal.ts";
import type { RecordKeyring } from "./record-key.ts";
import { SpoolDirectoryError } from "./spool-directory.ts";

export interface SpoolOptions<T> {
  /** Directory of the journal; created (0700) if missing. Put it on a disk that outlives the process. */
  dir: string;
  /** Largest journal in bytes; an append beyond it is refused with JournalFullError. */
  maxBytes: number;
  /** The keys records are authenticated with (createRecordKeyring) ... */
  keyring: RecordKeyring;
  /** ... and the name of the key an item is written with (its channel). */
  keyOf(item: T): string;
  /** Puts spooled items back where they belong (Redis); rejects while it cannot take them. */
  replay(items: T[]): Promise<void>;
  logger: Pick<Logger, "info" | "warn" | "error">;
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
  /** Items refused because the disk failed them (full, I/O error, short write). */
  writeFailedTotal: number;
  /** Bytes of damaged spans or refused records skipped at start. */
  damagedBytesTotal: number;
  /** Records refused at start because their MAC did not verify (not written by this ingress). */
  forgedRecordsTotal: number;
  /** Why the last write failed, while no write has succeeded since; undefined when writes work. */
  problem: string | undefined;
}

export interface Spool<T> {
  /** True from the first item spooled until the journal is replayed: keep appending meanwhile, in order. */
  readonly spooling: boolean;
  /**
   * Resolves once `item` is durably in the journal (fsynced); rejects with JournalFullError when
   * full, SpoolUnavailableError while the journal cannot be opened, or the disk's error.
   */
  append(item: T): Promise<void>;
  stats(): SpoolStats;
  /** Waits up to `drainMs` for the journal to be replayed, then stops; what is left stays on disk. */
  close(drainMs?: number): Promise<void>;
}

/** The journal could not be opened (the disk failed): nothing can be spooled until it can. */
export class SpoolUnavailableError extends Error {
  readonly code = "LF_SPOOL_UNAVAILABLE" satisfies ErrorCode;
  constructor(cause: unknown) {
    super(`the spool journal cannot be opened: ${describe(cause)}`, { cause });
    this.name = "SpoolUnavailableError";
  }
}

/** At most one attempt per this long to open a journal that failed to open. */
const REOPEN_INTERVAL_MS = 1_000;

/**
 * A local, durable stand-in for Redis while Redis cannot take writes: items go to an append-only
 * journal and are replayed, oldest first, as soon as `replay` succeeds again. The journal is read
 * at open, so items spooled before a crash are replayed after the restart.
 *
 * A disk error never throws out of the spool: an append that fails rejects (its request is answered
 * 503), a journal that cannot be opened (a full or failing disk) leaves the spool refusing appends
 * until a later attempt opens it. Only an unsafe directory (SpoolDirectoryError) is thrown, from here.
 */
export async function openSpool<T>(options: SpoolOptions<T>): Promise<Spool<T>> {
  const { logger } = options;
  const baseDelayMs = options.retryDelayMs ?? 200;
  const batchSize = options.batchSize ?? 200;
  const counters = {
    spooledTotal: 0,
    replayedTotal: 0,
    refusedTotal: 0,
    writeFailedTotal: 0,
    damagedBytesTotal: 0,
    forgedRecordsTotal: 0,
  };
  let problem: string | undefined;
  let journal: Journal | undefined;
  let lastOpenAttempt = 0;
  let opening: Promise<Journal | undefined> | undefined;

  let spooling = false;
  let closed = false;
  let draining: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let drained: Array<() => void> = [];

  async function openJournal(): Promise<Journal | undefined> {
    lastOpenAttempt = Date.now();
    try {
      journal = await Journal.open(options.dir, options.maxBytes, options.keyring);
    } catch (error) {
      if (error instanceof SpoolDirectoryError) throw error;
      problem = describe(error);
      logger.error(
        { err: error, dir: options.dir },
        "spool journal cannot be opened; requests Redis cannot take are answered 503 until it can",
      );
      return undefined;
    }
    problem = undefined;
    const { damage } = journal;
    if (damage) {
      counters.damagedBytesTotal += damage.bytes;
      counters.forgedRecordsTotal += damage.forgedRecords;
      logger.warn(
        {
          problems: damage.problems,
          bytes: damage.bytes,
          forgedRecords: damage.forgedRecords,
          savedAs: damage.savedAs,
          dir: options.dir,
        },
        "spool journal had damaged or unauthenticated records; skipped them, replaying the rest",
      );
      for (const { step, error } of damage.errors) {
        logger.error(
          { err: error, dir: options.dir },
          step === "save"
            ? "could not save the skipped journal bytes; kept in the journal, continuing"
            : "could not rewrite the journal without the skipped bytes; kept as it is, continuing",
        );
      }
    }
    if (journal.records > 0) {
      logger.info(
        { items: journal.records },
        "spool journal holds items from an earlier run; replaying",
      );
      start("items left by an earlier run");
    }
    return journal;
  }

  /** The journal, opening it again if an earlier attempt failed (at most once a second). */
  async function usableJournal(): Promise<Journal> {
    if (journal) return journal;
    if (!opening && Date.now() - lastOpenAttempt >= REOPEN_INTERVAL_MS) {
      opening = openJournal().finally(() => {
        opening = undefined;
      });
    }
    const opened = await opening;
    if (!opened) throw new SpoolUnavailableError(problem);
    return opened;
  }

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

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, ms);
    });

  async function drain() {
    let delayMs = baseDelayMs;
    let failing = false;
    while (!closed && journal) {
      const batch = journal.peek(batchSize);
      if (batch.length === 0) {
        let cleared: boolean;
        try {
          cleared = await journal.clearIfReplayed();
        } catch (error) {
          // The records are replayed; a restart before the file is emptied replays them again,
          // deduplicated. Try again later rather than stop spooling over a file not emptied.
          logger.error({ err: error }, "could not empty the replayed spool journal; retrying");
          await pause(2_000);
          continue;
        }
        if (cleared) {
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
          // Its MAC verified, so only a bug could write this; never let it block the rest.
          logger.warn({ bytes: payload.length }, "spool record is not JSON; skipped");
        }
      }
      try {
        if (items.length > 0) await options.replay(items);
      } catch (error) {
        if (!failing)
          logger.warn({ err: error }, "spool replay failed; retrying until Redis answers");
        failing = true;
        await pause(delayMs);
        delayMs = Math.min(delayMs * 2, 2_000);
        continue;
      }
      failing = false;
      delayMs = baseDelayMs;
      counters.replayedTotal += items.length;
      await journal.consume(batch.length).catch((error: unknown) => {
        // Replayed all the same; only a restart before the next checkpoint replays them again.
        logger.warn({ err: error }, "could not save the spool checkpoint");
      });
    }
  }

  await openJournal();

  return {
    get spooling() {
      return spooling;
    },
    async append(item) {
      if (closed) throw new Error("the spool is closed");
      try {
        const open = await usableJournal();
        const pending = open.append(
          Buffer.from(JSON.stringify(item), "utf8"),
          options.keyring.keyFor(options.keyOf(item)),
        );
        start("Redis did not take the events in time");
        await pending;
      } catch (error) {
        if (error instanceof JournalFullError) counters.refusedTotal++;
        else {
          counters.writeFailedTotal++;
          problem = describe(error);
        }
        throw error;
      }
      problem = undefined;
      counters.spooledTotal++;
    },
    stats: () => ({
      spooling,
      pendingItems: journal?.records ?? 0,
      journalBytes: journal?.bytes ?? 0,
      maxBytes: options.maxBytes,
      ...counters,
      problem,
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
      await opening;
      await journal?.close();
      if (journal && journal.records > 0) {
        logger.warn(
          { items: journal.records },
          "spool closed with items left; replayed at next start",
        );
      }
    },
  };
}

/** An error as one line for logs and readiness: its code and message, no stack, no payload. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
