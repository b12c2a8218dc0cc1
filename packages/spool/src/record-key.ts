import { createHmac, hkdfSync } from "node:crypto";

/** The key that authenticates a journal record, and its public id (stored in each record). */
export interface RecordKey {
  /** 8 bytes derived from the key (not from the secret directly): says which key to verify with. */
  readonly id: Buffer;
  readonly key: Buffer;
}

/** The keys a journal writes and verifies with, one per name (a channel's). */
export interface RecordKeyring {
  /** The key records of `name` are written with; throws for a name the keyring does not hold. */
  keyFor(name: string): RecordKey;
  /** The key of a record's id, or undefined when none of today's secrets made it. */
  byId(id: Buffer): RecordKey | undefined;
}

// Fixed labels: the key is only for this use, so it says nothing about the secret it comes from.
const SALT = Buffer.from("linefleet spool");
const INFO = Buffer.from("journal record MAC v1");

/**
 * Derives one record key per secret (HKDF-SHA-256), so only a process that knows a channel secret
 * can write a record the journal replays. One key per channel rather than one for all: a record
 * stays verifiable after channels are added or removed, as long as its own channel's secret is
 * unchanged.
 */
export function createRecordKeyring(secrets: Iterable<readonly [name: string, secret: string]>) {
  const byName = new Map<string, RecordKey>();
  const byId = new Map<string, RecordKey>();
  for (const [name, secret] of secrets) {
    const key = Buffer.from(hkdfSync("sha256", secret, SALT, INFO, 32));
    const id = createHmac("sha256", key).update("key id").digest().subarray(0, 8);
    const recordKey = { id, key };
    byName.set(name, recordKey);
    byId.set(id.toString("hex"), recordKey);
  }
  return {
    keyFor(name: string) {
      const key = byName.get(name);
      if (!key) throw new Error(`no spool record key for ${JSON.stringify(name)}`);
      return key;
    },
    byId: (id: Buffer) => byId.get(id.toString("hex")),
  } satisfies RecordKeyring;
}
