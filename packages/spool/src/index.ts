export { Journal, type JournalDamage, JournalFullError } from "./journal.ts";
export { encodeRecord, type RecordProblem } from "./record-format.ts";
export { createRecordKeyring, type RecordKey, type RecordKeyring } from "./record-key.ts";
export {
  openSpool,
  type Spool,
  type SpoolOptions,
  type SpoolStats,
  SpoolUnavailableError,
} from "./spool.ts";
export { ShortWriteError, SpoolDirectoryError } from "./spool-directory.ts";
