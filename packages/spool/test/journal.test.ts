import {
  appendFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Journal, JournalFullError } from "../src/index.ts";

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
    const journal = await Journal.open(dir, 1024 * 1024);
    await Promise.all(payloads.map((payload) => journal.append(Buffer.from(payload))));
    await journal.close();
  }

  it("keeps what was appended across a restart, in order, until it is consumed", async () => {
    await written("one", "two", "three");
    const reopened = await Journal.open(dir, 1024 * 1024);
    expect(reopened.damage).toBeUndefined();
    expect(text(reopened.peek(10))).toEqual(["one", "two", "three"]);
    await reopened.consume(2);
    await reopened.close();

    const again = await Journal.open(dir, 1024 * 1024);
    expect(text(again.peek(10))).toEqual(["three"]);
    await again.consume(1);
    expect(await again.clearIfReplayed()).toBe(true);
    await again.close();
    expect((await stat(join(dir, "journal.bin"))).size).toBe(0);
    expect(text((await Journal.open(dir, 1024)).peek(10))).toEqual([]);
  });

  it("skips a torn last record (a crash mid-write), keeps the whole ones and appends after them", async () => {
    await written("first", "second");
    const path = join(dir, "journal.bin");
    const size = (await stat(path)).size;
    await truncate(path, size - 3);

    const journal = await Journal.open(dir, 1024 * 1024);
    expect(journal.damage).toMatchObject({ problem: "truncated", bytes: 8 + "second".length - 3 });
    expect(text(journal.peek(10))).toEqual(["first"]);
    await journal.append(Buffer.from("third"));
    await journal.close();

    const reopened = await Journal.open(dir, 1024 * 1024);
    expect(reopened.damage).toBeUndefined();
    expect(text(reopened.peek(10))).toEqual(["first", "third"]);
    // The skipped bytes are kept for a post-mortem.
    const saved = (await readdir(dir)).filter((name) => name.startsWith("damaged-"));
    expect(saved).toHaveLength(1);
    expect((await readFile(join(dir, saved[0] ?? ""))).length).toBe(8 + "second".length - 3);
  });

  it("detects a flipped byte by its checksum and skips from there on", async () => {
    await written("alpha", "bravo", "charlie");
    const path = join(dir, "journal.bin");
    const bytes = await readFile(path);
    const second = 8 + "alpha".length;
    bytes[second + 8 + 1] = (bytes[second + 8 + 1] ?? 0) ^ 0xff; // inside "bravo"
    await writeFile(path, bytes);

    const journal = await Journal.open(dir, 1024 * 1024);
    expect(journal.damage?.problem).toBe("checksum");
    expect(text(journal.peek(10))).toEqual(["alpha"]);
    await journal.close();
  });

  it("treats garbage after the records (an impossible length) as damage, without throwing", async () => {
    await written("ok");
    await appendFile(
      join(dir, "journal.bin"),
      Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5]),
    );
    const journal = await Journal.open(dir, 1024 * 1024);
    expect(journal.damage?.problem).toBe("length");
    expect(text(journal.peek(10))).toEqual(["ok"]);
    await journal.close();
  });

  it("replays everything when the checkpoint is not a record boundary", async () => {
    await written("a", "b");
    await writeFile(join(dir, "journal.offset"), "5");
    const journal = await Journal.open(dir, 1024 * 1024);
    expect(text(journal.peek(10))).toEqual(["a", "b"]);
    await journal.close();
  });

  it("refuses a record that would take it past its size bound", async () => {
    const journal = await Journal.open(dir, 40);
    await journal.append(Buffer.from("x".repeat(20)));
    await expect(journal.append(Buffer.from("y".repeat(20)))).rejects.toBeInstanceOf(
      JournalFullError,
    );
    expect(journal.records).toBe(1);
    expect(journal.bytes).toBe(28);
    await journal.close();
  });

  it("is not emptied while a record is still unreplayed", async () => {
    const journal = await Journal.open(dir, 1024);
    await journal.append(Buffer.from("pending"));
    expect(await journal.clearIfReplayed()).toBe(false);
    expect(journal.records).toBe(1);
    await journal.close();
  });
});
