import { createHmac, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";
import type { RecordKey, RecordKeyring } from "./record-key.ts";

/**
 * One journal record on disk:
 *
 *   marker (4) | key id (8) | payload length (u32 BE) | CRC-32 (u32 BE) | payload | HMAC-SHA-256 (32)
 *
 * The marker starts with 0xFF, a byte UTF-8 (the payload is JSON) never holds, so after damaged
 * bytes a reader finds the next record by looking for it. The CRC (of key id, length and payload)
 * tells a torn or damaged record from a whole one; the HMAC (of the same bytes, with a key derived
 * from a channel secret, see record-key.ts) tells a record this ingress wrote from one written by
 * whoever else can write the directory.
 */
const MARKER = Buffer.from([0xff, 0x4c, 0x46, 0x52]);
const ID_BYTES = 8;
const HEADER_BYTES = MARKER.length + ID_BYTES + 4 + 4;
const MAC_BYTES = 32;
/** Bytes a record takes beyond its payload. */
const OVERHEAD_BYTES = HEADER_BYTES + MAC_BYTES;

const LENGTH_AT = MARKER.length + ID_BYTES;
const CRC_AT = LENGTH_AT + 4;

export function encodeRecord(payload: Buffer, key: RecordKey): Buffer {
  const record = Buffer.alloc(OVERHEAD_BYTES + payload.length);
  MARKER.copy(record, 0);
  key.id.copy(record, MARKER.length);
  record.writeUInt32BE(payload.length, LENGTH_AT);
  payload.copy(record, HEADER_BYTES);
  const covered = [record.subarray(MARKER.length, CRC_AT), payload];
  record.writeUInt32BE(crc32(payload, crc32(covered[0] as Buffer)), CRC_AT);
  mac(key, covered).copy(record, HEADER_BYTES + payload.length);
  return record;
}

/** Why a span of the journal was not read as records. */
export type RecordProblem = "truncated" | "checksum" | "length" | "marker" | "forged";

export interface DecodedRecords {
  /** Whole, authentic records, in file order, each with its offsets. */
  records: Array<{ payload: Buffer; start: number; end: number }>;
  /** Spans that are not whole, authentic records, in file order; each is set aside. */
  skipped: Array<{ start: number; end: number; problem: RecordProblem }>;
  /** Whole records (valid CRC) whose MAC no key of the keyring makes: not written by this ingress. */
  forged: number;
}

/**
 * Reads every record of `bytes`. A span that is not a whole record is skipped up to the next
 * marker that starts one, so one damaged record never hides the records after it.
 */
export function decodeRecords(
  bytes: Buffer,
  maxRecordBytes: number,
  keyring: RecordKeyring,
): DecodedRecords {
  const decoded: DecodedRecords = { records: [], skipped: [], forged: 0 };
  let damage: { start: number; problem: RecordProblem } | undefined;
  const closeDamage = (end: number) => {
    if (damage) decoded.skipped.push({ ...damage, end });
    damage = undefined;
  };
  let offset = 0;
  while (offset < bytes.length) {
    const found = readRecord(bytes, offset, maxRecordBytes, keyring);
    if (found.problem === undefined || found.problem === "forged") {
      closeDamage(offset);
      if (found.problem === "forged") {
        decoded.skipped.push({ start: offset, end: found.end, problem: "forged" });
        decoded.forged++;
      } else {
        decoded.records.push({ payload: found.payload, start: offset, end: found.end });
      }
      offset = found.end;
      continue;
    }
    damage ??= { start: offset, problem: found.problem };
    const next = bytes.indexOf(MARKER, offset + 1);
    offset = next === -1 ? bytes.length : next;
  }
  closeDamage(bytes.length);
  return decoded;
}

type Found =
  | { problem: undefined; payload: Buffer; end: number }
  | { problem: "forged"; end: number }
  | { problem: Exclude<RecordProblem, "forged"> };

function readRecord(
  bytes: Buffer,
  offset: number,
  maxRecordBytes: number,
  keyring: RecordKeyring,
): Found {
  if (bytes.length - offset < HEADER_BYTES) return { problem: "truncated" };
  if (!bytes.subarray(offset, offset + MARKER.length).equals(MARKER)) return { problem: "marker" };
  const length = bytes.readUInt32BE(offset + LENGTH_AT);
  if (length === 0 || length > maxRecordBytes) return { problem: "length" };
  const payloadAt = offset + HEADER_BYTES;
  const end = payloadAt + length + MAC_BYTES;
  if (end > bytes.length) return { problem: "truncated" };
  const header = bytes.subarray(offset + MARKER.length, offset + CRC_AT);
  const payload = bytes.subarray(payloadAt, payloadAt + length);
  if (crc32(payload, crc32(header)) !== bytes.readUInt32BE(offset + CRC_AT)) {
    return { problem: "checksum" };
  }
  const key = keyring.byId(header.subarray(0, ID_BYTES));
  const stored = bytes.subarray(payloadAt + length, end);
  if (!key || !timingSafeEqual(mac(key, [header, payload]), stored)) {
    return { problem: "forged", end };
  }
  return { problem: undefined, payload, end };
}

function mac(key: RecordKey, parts: Buffer[]): Buffer {
  const hmac = createHmac("sha256", key.key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}
