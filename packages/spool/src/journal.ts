import { type FileHandle, mkdir, open, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ErrorCode } from "@linefleet/errors";
import { decodeRecords, encodeRecord } from "./record-format.ts";

/** The journal has no room for a record: the caller must refuse the request (503). */
export class JournalFullError extends Error {
  readonly code = "LF_SPOOL_FULL" satisfies ErrorCode;
  constructor(maxBytes: number) {
    super(`the spool journal is full (${maxBytes} bytes)`);
    this.name = "JournalFullError";
  }
}

/** What was found past the last whole record when the journal was opened, and set aside. */
export interface JournalDamage {
  problem: "truncated" | "checksum" | "length";
  bytes: number;
  /** Where the skipped bytes were saved, for a post-mortem. */
  savedAs: string;
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

/**
 * An append-only file of records (see record-format.ts) and a checkpoint file saying how much of
 * it has been replayed. Appends are group-committed: every record asked for while a write is on
 * its way goes out in the next write, with one fsync for them all. Records not yet replayed are
 * also kept in memory (at most `maxBytes`), so replaying never reads the file back.
 * Once everything is replayed the file is emptied, so it only grows while Redis is away.
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
   * Opens (or creates) the journal in `dir` and reads what a previous run left unreplayed. A torn
   * or damaged tail is cut off and saved beside the journal, never thrown: the records before it
   * are whole, and a crash mid-write is exactly what leaves such a tail.
   */
  static async open(dir: string, maxBytes: number): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, JOURNAL);
    const handle = await open(path, "a+");
    const bytes = await readFile(path);
    const decoded = decodeRecords(bytes, maxBytes);
    let damage: JournalDamage | undefined;
    if (decoded.problem) {
      const savedAs = join(dir, `damaged-${Date.now()}.bin`);
      await writeFile(savedAs, bytes.subarray(decoded.validBytes));
      await handle.truncate(decoded.validBytes);
      await handle.sync();
      damage = { problem: decoded.problem, bytes: bytes.length - decoded.validBytes, savedAs };
    }
    const checkpoint = await readCheckpoint(dir);
    // A checkpoint that is not a record boundary (or past the end) cannot be trusted: replay
    // everything, which is safe since the queue refuses events it already holds.
    const atBoundary =
      checkpoint === 0 || decoded.records.some((entry) => entry.end === checkpoint);
    const from = atBoundary ? checkpoint : 0;
    const unreplayed = decoded.records
      .filter((entry) => entry.end > from)
      .map((entry) => ({ payload: Buffer.from(entry.payload), end: entry.end }));
    return new Journal(handle, dir, maxBytes, unreplayed, decoded.validBytes, damage);
  }

  /** Records appended but not yet replayed (or being written). */
  get records(): number {
    return this.#unreplayed.length + this.#queue.length;
  }

  /** Bytes the journal file holds, or will once the writes under way are done. */
  get bytes(): number {
    return this.#size + this.#queuedBytes;
  }

  /** Resolves once the record is on disk (fsynced); rejects with JournalFullError when it does not fit. */
  append(payload: Buffer): Promise<void> {
    const record = encodeRecord(payload);
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

  /** Marks the `count` oldest records replayed; a restart will not replay them again. */
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
      await this.#handle.truncate(0);
      await this.#handle.sync();
      await writeCheckpoint(this.#dir, 0);
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
      // "a+" appends at the end whatever the position; one write and one fsync for the batch.
      await this.#handle.write(bytes);
      await this.#handle.sync();
    } catch (error) {
      // A partial write must not stay in front of the next records: cut back to the last whole one.
      await this.#handle.truncate(this.#size).catch(() => {});
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
  await writeFile(temporary, String(offset));
  await rename(temporary, join(dir, CHECKPOINT));
}
