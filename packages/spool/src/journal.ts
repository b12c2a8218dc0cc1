import { constants, type FileHandle, readFile, rename, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { ErrorCode } from "@linefleet/errors";
import { decodeRecords, encodeRecord, type RecordProblem } from "./record-format.ts";
import type { RecordKey, RecordKeyring } from "./record-key.ts";
import { assertSafeDirectory, openPrivateFile, writeFully } from "./spool-directory.ts";

/** The journal has no room for a record: the caller must refuse the request (503). */
export class JournalFullError extends Error {
  readonly code = "LF_SPOOL_FULL" satisfies ErrorCode;
  constructor(maxBytes: number) {
    super(`the spool journal is full (${maxBytes} bytes)`);
    this.name = "JournalFullError";
  }
}

/** What was found at open that is not a whole, authentic record, and set aside. */
export interface JournalDamage {
  /** Each kind of problem found, in file order of first appearance. */
  problems: RecordProblem[];
  /** Bytes skipped (damaged spans and refused records together). */
  bytes: number;
  /** Whole records whose MAC did not verify: refused, never replayed. */
  forgedRecords: number;
  /** Where the skipped bytes were saved, for a post-mortem; undefined if they could not be. */
  savedAs: string | undefined;
  /** Why saving them, or rewriting the journal without them, failed (a full disk): logged. */
  errors: Array<{ step: "save" | "rewrite"; error: unknown }>;
}

interface Entry {
  payload: Buffer;
  /** File offset just past the record: the checkpoint once it has been replayed. */
  end: number;
}

interface Waiting {
  record: Buffer;
  payload: Buffer;
  resolve(): void;
  reject(error: unknown): void;
}

const JOURNAL = "journal.bin";
const CHECKPOINT = "journal.offset";
const APPEND = constants.O_RDWR | constants.O_APPEND;
/** A new file: never an existing one, so never a file someone linked there. */
const CREATE_NEW = constants.O_WRONLY | constants.O_EXCL;

/**
 * An append-only file of records (see record-format.ts) and a checkpoint file saying how much of
 * it has been replayed. Appends are group-committed: every record asked for while a write is on
 * its way goes out in the next write, with one fsync for them all. Records not yet replayed are
 * also kept in memory (at most `maxBytes`), so replaying never reads the file back.
 * Once everything is replayed the file is emptied, so it only grows while Redis is away.
 *
 * Every file operation may fail (a full disk, an I/O error): a failed append rejects (the request
 * is answered 503) and leaves the file as it was; a failed checkpoint or clear rejects and leaves
 * a state from which a restart replays too much (deduplicated downstream), never too little.
 */
export class Journal {
  readonly damage: JournalDamage | undefined;
  readonly #handle: FileHandle;
  readonly #dir: string;
  readonly #maxBytes: number;
  #unreplayed: Entry[];
  /** Bytes in the file, written and synced. */
  #size: number;
  /** Bytes asked for but not yet written. */
  #queuedBytes = 0;
  #queue: Waiting[] = [];
  /** Every write, flush or reset, one after the other. */
  #chain: Promise<void> = Promise.resolve();
  #flushScheduled = false;

  private constructor(
    handle: FileHandle,
    dir: string,
    maxBytes: number,
    unreplayed: Entry[],
    size: number,
    damage: JournalDamage | undefined,
  ) {
    this.#handle = handle;
    this.#dir = dir;
    this.#maxBytes = maxBytes;
    this.#unreplayed = unreplayed;
    this.#size = size;
    this.damage = damage;
  }

  /**
   * Opens (or creates) the journal in `dir` and reads what a previous run left unreplayed.
   * Damaged spans and refused (forged) records are skipped, saved beside the journal and counted,
   * never thrown: every whole, authentic record around them is kept. Throws SpoolDirectoryError
   * for a directory or file that is not safe to use.
   */
  static async open(dir: string, maxBytes: number, keyring: RecordKeyring): Promise<Journal> {
    await assertSafeDirectory(dir);
    const path = join(dir, JOURNAL);
    let handle = await openPrivateFile(path, APPEND);
    try {
      const bytes = await handle.readFile();
      const decoded = decodeRecords(bytes, maxBytes, keyring);
      const checkpoint = await readCheckpoint(dir);
      // A checkpoint that is not a record boundary (or past the end) cannot be trusted: replay
      // everything, which is safe since the queue refuses events it already holds.
      const atBoundary =
        checkpoint === 0 || decoded.records.some((entry) => entry.end === checkpoint);
      const from = atBoundary ? checkpoint : 0;
      const kept = decoded.records.filter((entry) => entry.end > from);
      let unreplayed = kept.map((entry) => ({
        payload: Buffer.from(entry.payload),
        end: entry.end,
      }));
      let size = bytes.length;
      let damage: JournalDamage | undefined;
      if (decoded.skipped.length > 0) {
        damage = {
          problems: [...new Set(decoded.skipped.map((span) => span.problem))],
          bytes: decoded.skipped.reduce((sum, span) => sum + span.end - span.start, 0),
          forgedRecords: decoded.forged,
          savedAs: undefined,
          errors: [],
        };
        const skipped = decoded.skipped.map((span) => bytes.subarray(span.start, span.end));
        damage.savedAs = await saveAside(dir, Buffer.concat(skipped)).catch((error: unknown) => {
          damage?.errors.push({ step: "save", error });
          return undefined;
        });
        // Without the skipped bytes the journal is whole again. If they could not be saved, or the
        // journal cannot be rewritten (a full disk), the old file is kept: nothing unsaved is
        // destroyed, and its records are found again, past the same damage, next time.
        const records = kept.map((entry) => bytes.subarray(entry.start, entry.end));
        let rewritten = false;
        if (damage.savedAs !== undefined) {
          rewritten = await rewrite(dir, Buffer.concat(records)).then(
            () => true,
            (error: unknown) => {
              damage?.errors.push({ step: "rewrite", error });
              return false;
            },
          );
        }
        if (rewritten) {
          await handle.close();
          handle = await openPrivateFile(path, APPEND);
          let end = 0;
          unreplayed = kept.map((entry, i) => {
            end += records[i]?.length ?? 0;
            return { payload: Buffer.from(entry.payload), end };
          });
          size = end;
        }
      }
      return new Journal(handle, dir, maxBytes, unreplayed, size, damage);
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
  }

  /** Records appended but not yet replayed (or being written). */
  get records(): number {
    return this.#unreplayed.length + this.#queue.length;
  }

  /** Bytes the journal file holds, or will once the writes under way are done. */
  get bytes(): number {
    return this.#size + this.#queuedBytes;
  }

  /**
   * Resolves once the record is on disk (fsynced); rejects with JournalFullError when it does not
   * fit, and with the disk's error (or ShortWriteError) when it could not be written whole.
   */
  append(payload: Buffer, key: RecordKey): Promise<void> {
    const record = encodeRecord(payload, key);
    if (this.bytes + record.length > this.#maxBytes) {
      return Promise.reject(new JournalFullError(this.#maxBytes));
    }
    this.#queuedBytes += record.length;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ record, payload, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        this.#enqueueOnChain(() => this.#flush());
      }
    });
  }

  /** The oldest records not yet replayed, at most `limit`. */
  peek(limit: number): Buffer[] {
    return this.#unreplayed.slice(0, limit).map((entry) => entry.payload);
  }

  /**
   * Marks the `count` oldest records replayed. Rejects if the checkpoint cannot be saved; they
   * are still taken off, and a restart replays them again (deduplicated downstream).
   */
  async consume(count: number): Promise<void> {
    const done = this.#unreplayed.splice(0, count);
    const last = done.at(-1);
    if (last) await writeCheckpoint(this.#dir, last.end);
  }

  /** Empties the file when every record has been replayed and none is being written. */
  clearIfReplayed(): Promise<boolean> {
    let cleared = false;
    return this.#enqueueOnChain(async () => {
      if (this.#unreplayed.length > 0 || this.#queue.length > 0) return;
      // The checkpoint goes first (removing needs no free space): a checkpoint left pointing into
      // an emptied file could later match a boundary of new records and skip them.
      await rm(join(this.#dir, CHECKPOINT), { force: true });
      await this.#handle.truncate(0);
      await this.#handle.sync();
      this.#size = 0;
      cleared = true;
    }).then(() => cleared);
  }

  async close(): Promise<void> {
    await this.#chain;
    await this.#handle.close();
  }

  #enqueueOnChain(step: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(step);
    this.#chain = next.catch(() => {});
    return next;
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    const bytes = Buffer.concat(batch.map((waiting) => waiting.record));
    this.#queuedBytes -= bytes.length;
    try {
      // O_APPEND writes at the end whatever the position; one write and one fsync for the batch.
      await writeFully(this.#handle, bytes);
      await this.#handle.sync();
    } catch (error) {
      await this.#rollBack();
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    let end = this.#size;
    for (const waiting of batch) {
      end += waiting.record.length;
      this.#unreplayed.push({ payload: waiting.payload, end });
    }
    this.#size = end;
    for (const waiting of batch) waiting.resolve();
  }

  /**
   * Cuts a failed write back to the last whole record (truncating never needs free space). If even
   * that fails, the bytes stay and the next records go after them: a reader skips them to the next
   * record marker, and the size is re-read so that checkpoints stay record boundaries.
   */
  async #rollBack(): Promise<void> {
    try {
      await this.#handle.truncate(this.#size);
      await this.#handle.sync();
    } catch {
      this.#size = await this.#handle.stat().then(
        (info) => info.size,
        () => this.#size,
      );
    }
  }
}

async function readCheckpoint(dir: string): Promise<number> {
  try {
    const value = Number((await readFile(join(dir, CHECKPOINT), "utf8")).trim());
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** Written to a temporary file and renamed over the old one, so it is never half written. */
async function writeCheckpoint(dir: string, offset: number): Promise<void> {
  const temporary = join(dir, `${CHECKPOINT}.tmp`);
  await writePrivateFile(temporary, Buffer.from(String(offset)));
  await rename(temporary, join(dir, CHECKPOINT));
}

/** Saves skipped bytes beside the journal (0600, like the journal: they hold the same data). */
async function saveAside(dir: string, bytes: Buffer): Promise<string> {
  const path = join(dir, `damaged-${Date.now()}.bin`);
  try {
    await writePrivateFile(path, bytes, { replace: false });
  } catch (error) {
    // A half-written copy is removed; a file that was there already is not this run's to remove.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") await unlink(path).catch(() => {});
    throw error;
  }
  return path;
}

/**
 * Replaces the journal with `bytes` (its intact records): a new file, synced, renamed over the
 * old one; the caller then opens the new one. The checkpoint is removed first, so a crash in
 * between replays the new file whole.
 */
async function rewrite(dir: string, bytes: Buffer): Promise<void> {
  const temporary = join(dir, `${JOURNAL}.tmp`);
  try {
    await writePrivateFile(temporary, bytes);
    await rm(join(dir, CHECKPOINT), { force: true });
    await rename(temporary, join(dir, JOURNAL));
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

/** Writes a new file (0600), replacing a leftover of an earlier attempt when `replace` says so. */
async function writePrivateFile(
  path: string,
  bytes: Buffer,
  { replace = true } = {},
): Promise<void> {
  if (replace) await rm(path, { force: true });
  const handle = await openPrivateFile(path, CREATE_NEW);
  try {
    await writeFully(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
