import {
  appendFile,
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createRecordKeyring,
  Journal,
  JournalFullError,
  SpoolDirectoryError,
} from "../src/index.ts";

const keyring = createRecordKeyring([["default", "channel-secret-0123456789abcdef"]]);
const key = keyring.keyFor("default");
/** Marker, key id, length and CRC before the payload; the MAC after it. */
const OVERHEAD = 20 + 32;

const text = (payloads: Buffer[]) => payloads.map((payload) => payload.toString("utf8"));

describe("the spool journal", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "linefleet-journal-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function written(...payloads: string[]) {
    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    await Promise.all(payloads.map((payload) => journal.append(Buffer.from(payload), key)));
    await journal.close();
  }

  it("keeps what was appended across a restart, in order, until it is consumed", async () => {
    await written("one", "two", "three");
    const reopened = await Journal.open(dir, 1024 * 1024, keyring);
    expect(reopened.damage).toBeUndefined();
    expect(text(reopened.peek(10))).toEqual(["one", "two", "three"]);
    await reopened.consume(2);
    await reopened.close();

    const again = await Journal.open(dir, 1024 * 1024, keyring);
    expect(text(again.peek(10))).toEqual(["three"]);
    await again.consume(1);
    expect(await again.clearIfReplayed()).toBe(true);
    await again.close();
    expect((await stat(join(dir, "journal.bin"))).size).toBe(0);
    expect(text((await Journal.open(dir, 1024, keyring)).peek(10))).toEqual([]);
  });

  it("skips a torn last record (a crash mid-write), keeps the whole ones and appends after them", async () => {
    await written("first", "second");
    const path = join(dir, "journal.bin");
    const size = (await stat(path)).size;
    await truncate(path, size - 3);

    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    expect(journal.damage).toMatchObject({
      problems: ["truncated"],
      bytes: OVERHEAD + "second".length - 3,
    });
    expect(text(journal.peek(10))).toEqual(["first"]);
    await journal.append(Buffer.from("third"), key);
    await journal.close();

    const reopened = await Journal.open(dir, 1024 * 1024, keyring);
    expect(reopened.damage).toBeUndefined();
    expect(text(reopened.peek(10))).toEqual(["first", "third"]);
    // The skipped bytes are kept for a post-mortem.
    const saved = (await readdir(dir)).filter((name) => name.startsWith("damaged-"));
    expect(saved).toHaveLength(1);
    expect((await readFile(join(dir, saved[0] ?? ""))).length).toBe(OVERHEAD + "second".length - 3);
  });

  it("detects a flipped byte by its checksum, skips that record only and replays every later one", async () => {
    await written("alpha", "bravo", "charlie", "delta");
    const path = join(dir, "journal.bin");
    const bytes = await readFile(path);
    const second = OVERHEAD + "alpha".length;
    bytes[second + 20 + 1] = (bytes[second + 20 + 1] ?? 0) ^ 0xff; // inside "bravo"
    await writeFile(path, bytes);

    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    expect(journal.damage).toMatchObject({
      problems: ["checksum"],
      bytes: OVERHEAD + "bravo".length,
      forgedRecords: 0,
    });
    expect(text(journal.peek(10))).toEqual(["alpha", "charlie", "delta"]);
    await journal.close();
    // The journal was rewritten without the damaged record: the next open finds nothing wrong.
    const reopened = await Journal.open(dir, 1024 * 1024, keyring);
    expect(reopened.damage).toBeUndefined();
    expect(text(reopened.peek(10))).toEqual(["alpha", "charlie", "delta"]);
    await reopened.close();
  });

  it("resynchronises after garbage in the middle (a damaged length) at the next record marker", async () => {
    await written("one", "two", "three");
    const path = join(dir, "journal.bin");
    const bytes = await readFile(path);
    bytes.writeUInt32BE(0x7fffffff, 12); // the first record's length
    await writeFile(path, bytes);
    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    expect(journal.damage?.problems).toEqual(["length"]);
    expect(text(journal.peek(10))).toEqual(["two", "three"]);
    await journal.close();
  });

  it("refuses and counts a record with a valid CRC but a MAC made with another key", async () => {
    const foreign = createRecordKeyring([["default", "not-the-channel-secret-000000000"]]);
    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    await journal.append(Buffer.from("genuine 1"), key);
    await journal.append(Buffer.from("forged"), foreign.keyFor("default"));
    await journal.append(Buffer.from("genuine 2"), key);
    await journal.close();

    const reopened = await Journal.open(dir, 1024 * 1024, keyring);
    expect(reopened.damage).toMatchObject({ problems: ["forged"], forgedRecords: 1 });
    expect(text(reopened.peek(10))).toEqual(["genuine 1", "genuine 2"]);
    await reopened.close();
  });

  it("keys each channel's records with its own secret: they stay readable when another channel is added or removed", async () => {
    const two = createRecordKeyring([
      ["a", "secret-of-channel-a-0000000000000"],
      ["b", "secret-of-channel-b-0000000000000"],
    ]);
    expect(two.keyFor("a").id.equals(two.keyFor("b").id)).toBe(false);
    const journal = await Journal.open(dir, 1024 * 1024, two);
    await journal.append(Buffer.from("from a"), two.keyFor("a"));
    await journal.append(Buffer.from("from b"), two.keyFor("b"));
    await journal.close();

    // Channel a removed, channel c added: b's record verifies, a's is refused (and saved aside).
    const later = createRecordKeyring([
      ["b", "secret-of-channel-b-0000000000000"],
      ["c", "secret-of-channel-c-0000000000000"],
    ]);
    const reopened = await Journal.open(dir, 1024 * 1024, later);
    expect(text(reopened.peek(10))).toEqual(["from b"]);
    expect(reopened.damage).toMatchObject({ problems: ["forged"], forgedRecords: 1 });
    await reopened.close();
  });

  it("creates its files 0600 and tightens a journal left readable by others", async () => {
    await written("secret text");
    expect((await stat(join(dir, "journal.bin"))).mode & 0o777).toBe(0o600);
    await chmod(join(dir, "journal.bin"), 0o644);
    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    await journal.consume(1);
    await journal.close();
    expect((await stat(join(dir, "journal.bin"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "journal.offset"))).mode & 0o777).toBe(0o600);
  });

  it("refuses a symlinked journal without touching its target", async () => {
    const target = join(dir, "elsewhere.txt");
    await writeFile(target, "precious");
    const spoolDir = join(dir, "spool");
    await mkdir(spoolDir, { mode: 0o700 });
    await symlink(target, join(spoolDir, "journal.bin"));
    await expect(Journal.open(spoolDir, 1024, keyring)).rejects.toBeInstanceOf(SpoolDirectoryError);
    expect(await readFile(target, "utf8")).toBe("precious");
  });

  it("refuses a directory others can write to, or a symlink to one", async () => {
    const open = join(dir, "open");
    await mkdir(open);
    await chmod(open, 0o777);
    await expect(Journal.open(open, 1024, keyring)).rejects.toThrow(
      /writable by its group or by others/,
    );
    await symlink(dir, join(dir, "link"));
    await expect(Journal.open(join(dir, "link"), 1024, keyring)).rejects.toThrow(/symbolic link/);
  });

  it("treats garbage after the records (no record marker) as damage, without throwing", async () => {
    await written("ok");
    await appendFile(join(dir, "journal.bin"), Buffer.alloc(30, 0xff));
    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    expect(journal.damage?.problems).toEqual(["marker"]);
    expect(text(journal.peek(10))).toEqual(["ok"]);
    await journal.close();
  });

  it("replays everything when the checkpoint is not a record boundary", async () => {
    await written("a", "b");
    await writeFile(join(dir, "journal.offset"), "5");
    const journal = await Journal.open(dir, 1024 * 1024, keyring);
    expect(text(journal.peek(10))).toEqual(["a", "b"]);
    await journal.close();
  });

  it("refuses a record that would take it past its size bound", async () => {
    const journal = await Journal.open(dir, 100, keyring);
    await journal.append(Buffer.from("x".repeat(20)), key);
    await expect(journal.append(Buffer.from("y".repeat(20)), key)).rejects.toBeInstanceOf(
      JournalFullError,
    );
    expect(journal.records).toBe(1);
    expect(journal.bytes).toBe(OVERHEAD + 20);
    await journal.close();
  });

  it("is not emptied while a record is still unreplayed", async () => {
    const journal = await Journal.open(dir, 1024, keyring);
    await journal.append(Buffer.from("pending"), key);
    expect(await journal.clearIfReplayed()).toBe(false);
    expect(journal.records).toBe(1);
    await journal.close();
  });
});
