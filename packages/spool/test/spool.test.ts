import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createRecordKeyring,
  JournalFullError,
  openSpool,
  SpoolUnavailableError,
} from "../src/index.ts";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const keyring = createRecordKeyring([["default", "channel-secret-0123456789abcdef"]]);
const keys = { keyring, keyOf: () => "default" };
const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe("the spool", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "linefleet-spool-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replays in order once the target answers again, then stops spooling", async () => {
    const replayed: number[] = [];
    let up = false;
    const spool = await openSpool<number>({
      dir,
      maxBytes: 1024 * 1024,
      ...keys,
      logger: quiet,
      retryDelayMs: 5,
      batchSize: 3,
      replay: async (items) => {
        if (!up) throw new Error("Redis is away");
        replayed.push(...items);
      },
    });
    for (let i = 0; i < 10; i++) await spool.append(i);
    expect(spool.spooling).toBe(true);
    expect(spool.stats()).toMatchObject({ spooling: true, pendingItems: 10, spooledTotal: 10 });
    up = true;
    await until(() => !spool.spooling);
    expect(replayed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(spool.stats()).toMatchObject({ pendingItems: 0, journalBytes: 0, replayedTotal: 10 });
    await spool.close();
  });

  it("replays at the next start what it could not replay before closing", async () => {
    const first = await openSpool<string>({
      dir,
      maxBytes: 1024 * 1024,
      ...keys,
      logger: quiet,
      retryDelayMs: 5,
      replay: () => Promise.reject(new Error("Redis is away")),
    });
    await first.append("a");
    await first.append("b");
    await first.close();

    const replayed: string[] = [];
    const second = await openSpool<string>({
      dir,
      maxBytes: 1024 * 1024,
      ...keys,
      logger: quiet,
      replay: async (items) => {
        replayed.push(...items);
      },
    });
    await until(() => !second.spooling);
    expect(replayed).toEqual(["a", "b"]);
    await second.close();
  });

  it("refuses items past its size bound and counts them", async () => {
    const spool = await openSpool<string>({
      dir,
      maxBytes: 120,
      ...keys,
      logger: quiet,
      replay: () => Promise.reject(new Error("Redis is away")),
    });
    await spool.append("x".repeat(30));
    await expect(spool.append("y".repeat(30))).rejects.toBeInstanceOf(JournalFullError);
    expect(spool.stats()).toMatchObject({ spooledTotal: 1, refusedTotal: 1, pendingItems: 1 });
    await spool.close();
  });

  it("starts without its journal when the disk refuses it, answers appends with an error, and recovers", async () => {
    // A directory where the journal should be: opening it fails as a failing disk would.
    await mkdir(join(dir, "journal.bin"));
    const replayed: string[] = [];
    const spool = await openSpool<string>({
      dir,
      maxBytes: 1024 * 1024,
      ...keys,
      logger: quiet,
      retryDelayMs: 5,
      replay: async (items) => {
        replayed.push(...items);
      },
    });
    await expect(spool.append("refused")).rejects.toBeInstanceOf(SpoolUnavailableError);
    expect(spool.stats()).toMatchObject({ writeFailedTotal: 1, problem: expect.any(String) });

    await rm(join(dir, "journal.bin"), { recursive: true });
    // At most one attempt a second to open a journal that failed to open.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await spool.append("kept");
    expect(spool.stats().problem).toBeUndefined();
    await until(() => !spool.spooling);
    expect(replayed).toEqual(["kept"]);
    await spool.close();
  });
});
