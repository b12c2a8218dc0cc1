export { Journal, type JournalDamage, JournalFullError } from "./journal.ts";
export { openSpool, type Spool, type SpoolOptions, type SpoolStats } from "./spool.ts";
