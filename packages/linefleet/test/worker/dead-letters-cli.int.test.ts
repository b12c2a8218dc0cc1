import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, repoRoot } from "@linefleet/test-support";
import { afterAll, describe, expect, inject, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "dead-letters-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `pnpm dead-letters` as a process with exactly `env`. One still running after 10 s is
 * killed, so a hang shows as exit code null.
 */
function deadLetters(env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["packages/linefleet/src/worker/dead-letters.ts", ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 10_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** A state file as `pnpm dev` writes it, owned by a process that is alive (this one). */
function devStateFile(name: string, redisUrl: string, queuePrefix: string) {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      pid: process.pid,
      redisUrl,
      queuePrefix,
      ingressUrl: "http://127.0.0.1:1",
    }),
  );
  return file;
}

describe("pnpm dead-letters", () => {
  it("with Redis unreachable, exits non-zero within 10 s naming the URL", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const result = await deadLetters({ REDIS_URL: url }, "list");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach Redis at ${url}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain("No dead letters");
  });

  it("never prints a Redis password", async () => {
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    const result = await deadLetters({ REDIS_URL: url }, "list");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("redis://:***@127.0.0.1");
    expect(result.stderr).not.toContain("hunter2");
  });

  it("with REDIS_URL unset, uses the Redis of the running pnpm dev, and says so", async () => {
    const prefix = `dl-${Math.random().toString(36).slice(2)}`;
    const file = devStateFile("live.json", inject("redisUrl"), prefix);
    const result = await deadLetters({ DEV_STATE_FILE: file }, "list");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No dead letters.");
    expect(result.stderr).toContain(`Redis ${inject("redisUrl")} (pnpm dev, ${file})`);
  });

  it("reports the dev stack's URL when that Redis is unreachable", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const file = devStateFile("gone-redis.json", url, "linefleet");
    const result = await deadLetters({ DEV_STATE_FILE: file }, "list");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach Redis at ${url}`);
  });

  it("ignores a state file left behind by a pnpm dev that is gone", async () => {
    const file = join(dir, "stale.json");
    // A pid far above any pid_max: no such process.
    writeFileSync(file, JSON.stringify({ pid: 2 ** 30, redisUrl: inject("redisUrl") }));
    const result = await deadLetters({ DEV_STATE_FILE: file, REDIS_URL: "" }, "list");
    expect(result.stderr).toContain("default; REDIS_URL unset and no pnpm dev running");
  });
});
