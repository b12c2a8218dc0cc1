import { crc32 } from "node:zlib";

/**
 * One journal record on disk: payload length (u32, big-endian), CRC-32 of the payload (u32), then
 * the payload. The length lets a reader find the next record; the checksum tells a record torn
 * by a crash, or damaged on disk, from a whole one.
 */
export const HEADER_BYTES = 8;

export function encodeRecord(payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  record.writeUInt32BE(payload.length, 0);
  record.writeUInt32BE(crc32(payload), 4);
  payload.copy(record, HEADER_BYTES);
  return record;
}

export interface DecodedRecords {
  /** Whole records, in file order, each with the offset just past it. */
  records: Array<{ payload: Buffer; end: number }>;
  /** Where the valid records stop; anything from here on is torn or damaged. */
  validBytes: number;
  /** Why the bytes past `validBytes` were not read, when there are any. */
  problem?: "truncated" | "checksum" | "length";
}

/** Reads records from the start of `bytes` until the end, or the first one that is not whole. */
export function decodeRecords(bytes: Buffer, maxRecordBytes: number): DecodedRecords {
  const records: DecodedRecords["records"] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER_BYTES)
      return { records, validBytes: offset, problem: "truncated" };
    const length = bytes.readUInt32BE(offset);
    if (length === 0 || length > maxRecordBytes) {
      return { records, validBytes: offset, problem: "length" };
    }
    const end = offset + HEADER_BYTES + length;
    if (end > bytes.length) return { records, validBytes: offset, problem: "truncated" };
    const payload = bytes.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== bytes.readUInt32BE(offset + 4)) {
      return { records, validBytes: offset, problem: "checksum" };
    }
    records.push({ payload, end });
    offset = end;
  }
  return { records, validBytes: offset };
}
