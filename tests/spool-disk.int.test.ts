import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createRecordKeyring, encodeRecord } from "@linefleet/spool";
import {
  type AppProcess,
  freePort,
  makeEnvelope,
  makeTextMessageEvent,
  signedWebhook,
  startApp,
  startLocalRedisServer,
  startStack,
  type TestRedis,
  waitFor,
  waitForIdle,
} from "@linefleet/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const run = promisify(execFile);
/** The record marker of the journal format (packages/spool/src/record-format.ts). */
const MARKER = Buffer.from([0xff, 0x4c, 0x46, 0x52]);

/**
 * A small tmpfs for the spool directory, so the disk really fills (mode 0700: the ingress refuses a
 * directory others can write to). Mounting needs root; without it the disk tests are skipped.
 */
async function mountSmallDisk(dir: string, size: string): Promise<boolean> {
  try {
    await run("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir]);
    return true;
  } catch {
    return false;
  }
}

/** Fills the disk up to its last byte; what is left free is what `keepFree` asks for, at most. */
async function fill(dir: string, keepFree: number): Promise<string> {
  const filler = join(dir, "filler");
  const { stdout } = await run("df", ["-B1", "--output=avail", dir]);
  const avail = Number(stdout.trim().split("\n").at(-1));
  await writeFile(filler, Buffer.alloc(Math.max(0, avail - keepFree))).catch(() => {});
  if (keepFree === 0) {
    // Whatever rounding left: take it too, until the disk refuses.
    await writeFile(join(dir, "filler-rest"), Buffer.alloc(64 * 1024)).catch(() => {});
  }
  return filler;
}

const canMount = await (async () => {
  const probe = await mkdtemp(join(tmpdir(), "linefleet-mount-probe-"));
  const mounted = await mountSmallDisk(probe, "64k");
  if (mounted) await run("umount", [probe]);
  await rm(probe, { recursive: true, force: true });
  return mounted;
})();

describe("the ingress spool on a failing disk, a damaged journal, an unsafe directory", () => {
  let redis: TestRedis;
  let base: string;
  let stack: EmulatedStack | undefined;
  const mounts: string[] = [];
  /** Ingresses a test started by hand (startIngressOn): killed after it, whatever it asserted. */
  const started: AppProcess[] = [];
  // TestRedis.start() on a running server would start a second one: track which state it is in.
  let redisDown = false;
  const stopRedis = async () => {
    await redis.stop();
    redisDown = true;
  };
  const startRedis = async () => {
    await redis.start();
    redisDown = false;
  };

  beforeAll(async () => {
    redis = await startLocalRedisServer({ appendOnly: true });
    base = await mkdtemp(join(tmpdir(), "linefleet-spool-disk-"));
  });
  afterEach(async () => {
    for (const app of started.splice(0)) await app.kill();
    await stack?.stop();
    stack = undefined;
    if (redisDown) await startRedis();
    for (const mount of mounts.splice(0)) await run("umount", [mount]).catch(() => {});
  });
  afterAll(async () => {
    await redis?.close();
    await rm(base, { recursive: true, force: true });
  });

  async function smallDisk(size: string): Promise<string> {
    const dir = join(base, `disk-${randomBytes(4).toString("hex")}`);
    await mkdir(dir);
    if (!(await mountSmallDisk(dir, size))) throw new Error(`cannot mount a tmpfs on ${dir}`);
    mounts.push(dir);
    return dir;
  }

  const answersOf = (s: EmulatedStack, user: string) =>
    s.emulator
      .messages(user)
      .filter((message) => message.from === "bot")
      .map((message) => String(message.message.text));

  it.runIf(canMount)(
    "a disk filling mid-write with Redis away: every webhook answered 200 is answered exactly once after a restart, the rest got 503",
    async () => {
      const dir = await smallDisk("256k");
      await fill(dir, 40 * 1024);
      stack = await startEmulatedStack({
        redisUrl: redis.url,
        workers: 0,
        ingressEnv: { INGRESS_SPOOL_DIR: dir, ENQUEUE_TIMEOUT_MS: "300" },
        emulator: { redelivery: { enabled: false }, users: [{ displayName: "user" }] },
      });
      const s = stack;
      const user = s.emulator.state().users[0]?.userId ?? "";
      await stopRedis();

      // ~3 KB a record: the 40 KB left take about a dozen, the one that does not fit is cut short.
      const statusOf = new Map<string, number>();
      for (let i = 0; i < 30; i++) {
        const text = `m${i} ${"x".repeat(2_500)}`;
        const { deliveryId } = s.emulator.sendEvent({ type: "text", from: user, text });
        await s.emulator.deliveryDone(deliveryId);
        const attempt = s.emulator.deliveries().find((d) => d.deliveryId === deliveryId);
        statusOf.set(text, attempt?.status ?? 0);
      }
      const acknowledged = [...statusOf].filter(([, status]) => status === 200).map(([t]) => t);
      const refused = [...statusOf].filter(([, status]) => status !== 200);
      expect(acknowledged.length).toBeGreaterThan(3);
      expect(refused.length).toBeGreaterThan(3);
      expect(refused.every(([, status]) => status === 503)).toBe(true);
      // Refused for the disk, and said so; the process is alive. The record that did not fit was
      // written in part (the disk took what it had left): that one too was answered 503.
      const shortWrite = (line: Record<string, unknown>) =>
        line.msg === "spool refused" &&
        /^wrote \d+ of \d+ bytes/.test(String((line.err as { message?: unknown })?.message));
      await s.ingress.waitForLine(shortWrite);
      expect((await fetch(`${s.ingressUrl}/healthz`)).status).toBe(200);

      // A crash with the disk still full: the journal is all that holds the acknowledged events,
      // and replaying it must work without a byte of free space (checkpoints cannot be written).
      const restarted = await s.restartIngress();
      await restarted.waitForLine((line) => String(line.msg).includes("replaying"));
      await startRedis();
      await restarted.waitForLine(
        (line) => String(line.msg).startsWith("spooling stopped"),
        20_000,
      );
      // The checkpoint could not be saved (no space): a warning, not a crash.
      expect(
        restarted.lines.some(
          (line) => typeof line === "object" && line.msg === "could not save the spool checkpoint",
        ),
      ).toBe(true);
      await s.addWorker();
      await waitFor(() => answersOf(s, user).length >= acknowledged.length, {
        timeoutMs: 30_000,
        what: "an answer to every acknowledged event",
      });
      await waitForIdle(redis.url, s.prefix);
      const answers = answersOf(s, user);
      for (const text of acknowledged) expect(answers.filter((a) => a === text)).toHaveLength(1);
      expect(new Set(answers).size).toBe(answers.length);
      expect(restarted.child.exitCode).toBeNull();
    },
    60_000,
  );

  it.runIf(canMount)(
    "an ingress started on a full disk with a damaged journal: alive, 503 while it cannot write (readiness says why), 200 once space returns",
    async () => {
      const dir = await smallDisk("128k");
      // Damage a whole page long: the next record needs a page of its own, which the disk lacks.
      await writeFile(join(dir, "journal.bin"), Buffer.alloc(4096, 0x41), { mode: 0o600 });
      const filler = await fill(dir, 0);
      await stopRedis();
      const full = await startStack({
        redisUrl: redis.url,
        lineApiUrl: "http://127.0.0.1:9",
        workers: 0,
        ingressEnv: { INGRESS_SPOOL_DIR: dir, ENQUEUE_TIMEOUT_MS: "300" },
      });
      try {
        // The damaged bytes could not be set aside (no space): logged, not fatal.
        await full.ingress.waitForLine(
          (line) =>
            line.msg ===
            "could not save the skipped journal bytes; kept in the journal, continuing",
        );
        const post = () => {
          const { body, headers } = signedWebhook(
            makeEnvelope([makeTextMessageEvent(`hello ${randomBytes(4).toString("hex")}`)]),
            full.channelSecret,
          );
          return fetch(`${full.ingressUrl}/webhook`, { method: "POST", body, headers });
        };
        expect((await post()).status).toBe(503);
        const ready = await fetch(`${full.ingressUrl}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({
          error: "redis_unavailable",
          spool: expect.stringMatching(/no space left on device|is the disk full/),
        });

        await rm(filler);
        await rm(join(dir, "filler-rest"), { force: true });
        expect((await post()).status).toBe(200);
        await startRedis();
        await full.ingress.waitForLine(
          (line) => String(line.msg).startsWith("spooling stopped"),
          20_000,
        );
        expect(full.ingress.child.exitCode).toBeNull();
      } finally {
        await full.stop();
      }
    },
    30_000,
  );

  it("a damaged middle record and a forged one: every later intact record is replayed, the forged one refused and counted", async () => {
    const dir = join(base, "damaged");
    stack = await startEmulatedStack({
      redisUrl: redis.url,
      workers: 0,
      ingressEnv: { INGRESS_SPOOL_DIR: dir, ENQUEUE_TIMEOUT_MS: "300" },
      emulator: { redelivery: { enabled: false }, users: [{ displayName: "user" }] },
    });
    const s = stack;
    const user = s.emulator.state().users[0]?.userId ?? "";
    await stopRedis();
    for (const text of ["one", "two", "three", "four"]) {
      const { deliveryId } = s.emulator.sendEvent({ type: "text", from: user, text });
      await s.emulator.deliveryDone(deliveryId);
    }
    expect(s.emulator.deliveries().map((d) => d.status)).toEqual([200, 200, 200, 200]);

    // Idle while Redis is away (replays fail before touching the file): safe to edit the journal.
    const path = join(dir, "journal.bin");
    const journal = await readFile(path);
    const starts: number[] = [];
    for (let at = journal.indexOf(MARKER); at !== -1; at = journal.indexOf(MARKER, at + 1)) {
      starts.push(at);
    }
    expect(starts).toHaveLength(4);
    const [, second = 0, third = 0, fourth = 0] = starts;
    const damaged = Buffer.from(journal);
    damaged[second + 30] = (damaged[second + 30] ?? 0) ^ 0x01; // inside "two"'s payload
    // A record as the ingress writes them, with a valid CRC, but not made with the channel secret.
    const genuine = JSON.parse(journal.subarray(fourth + 20, journal.length - 32).toString());
    genuine.events[0].webhookEventId = "01FORGEDFORGEDFORGEDFORGED";
    genuine.events[0].message.text = "forged";
    const wrongKey = createRecordKeyring([["default", "a-secret-the-attacker-picked-0000"]]);
    const forged = encodeRecord(Buffer.from(JSON.stringify(genuine)), wrongKey.keyFor("default"));
    await writeFile(
      path,
      Buffer.concat([damaged.subarray(0, third), forged, damaged.subarray(third)]),
    );

    const restarted = await s.restartIngress();
    const found = await restarted.waitForLine((line) =>
      String(line.msg).startsWith("spool journal had damaged or unauthenticated records"),
    );
    expect(found).toMatchObject({ problems: ["checksum", "forged"], forgedRecords: 1 });
    await startRedis();
    await restarted.waitForLine((line) => String(line.msg).startsWith("spooling stopped"), 20_000);
    await s.addWorker();
    await waitFor(() => answersOf(s, user).length >= 3, { what: "the intact records answered" });
    await waitForIdle(redis.url, s.prefix);
    expect(answersOf(s, user)).toEqual(["one", "three", "four"]);

    // Set aside for a post-mortem, as private as the journal.
    const saved = (await readdir(dir)).filter((name) => name.startsWith("damaged-"));
    expect(saved).toHaveLength(1);
    for (const name of [...saved, "journal.bin", "journal.offset"].filter(Boolean)) {
      const file = await stat(join(dir, name)).catch(() => undefined);
      if (file) expect(file.mode & 0o777).toBe(0o600);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  }, 60_000);

  async function startIngressOn(spoolDir: string) {
    const app = startApp("ingress", "packages/linefleet/src/ingress/main.ts", {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `t-${randomBytes(4).toString("hex")}`,
      LINE_CHANNEL_SECRET: randomBytes(16).toString("hex"),
      PORT: String(await freePort()),
      HOST: "127.0.0.1",
      INGRESS_SPOOL_DIR: spoolDir,
    });
    started.push(app);
    return app;
  }

  it("refuses to start on a symlinked journal, leaving its target alone, and on a directory others can write to", async () => {
    const target = join(base, "precious.txt");
    await writeFile(target, "precious", { mode: 0o600 });
    const linked = join(base, "linked");
    await mkdir(linked, { mode: 0o700 });
    await symlink(target, join(linked, "journal.bin"));
    const first = await startIngressOn(linked);
    await waitFor(() => first.child.exitCode !== null, { what: "the ingress to exit" });
    expect(first.child.exitCode).toBe(1);
    expect(first.output()).toContain("INGRESS_SPOOL_DIR");
    expect(first.output()).toContain("is a symbolic link");
    // The operator's message, not a stack trace (the JSON log lines are the ingress's own logs).
    const plain = first.lines.filter((line) => typeof line === "string").join("\n");
    expect(plain).not.toContain("    at ");
    expect(await readFile(target, "utf8")).toBe("precious");
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await readdir(linked)).sort()).toEqual(["journal.bin"]);

    const open = join(base, "open");
    await mkdir(open);
    await chmod(open, 0o777);
    const second = await startIngressOn(open);
    await waitFor(() => second.child.exitCode !== null, { what: "the ingress to exit" });
    expect(second.child.exitCode).toBe(1);
    expect(second.output()).toMatch(/INGRESS_SPOOL_DIR: .* is writable by its group or by others/);
  });
});
