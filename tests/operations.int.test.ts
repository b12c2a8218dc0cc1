import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot, waitFor, waitForIdle } from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

describe("operations", () => {
  let stack: EmulatedStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it("keeps the fleet under the outbound rate limit", async () => {
    const perSecond = 10;
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workers: 2,
      workerEnv: { LINE_RATE_LIMIT_PER_SECOND: String(perSecond) },
      emulator: { users: Array.from({ length: 6 }, (_, i) => ({ displayName: `u${i}` })) },
    });
    const s = stack;
    const users = s.emulator.state().users.map((u) => u.userId);
    for (let i = 0; i < 30; i++)
      s.emulator.sendEvent({ type: "text", from: users[i % users.length], text: `r${i}` });
    await waitFor(
      () => s.emulator.apiCalls().filter((c) => c.path === "/v2/bot/message/reply").length >= 30,
      {
        timeoutMs: 30_000,
        what: "every reply",
      },
    );
    const times = s.emulator
      .apiCalls()
      .filter((c) => c.path === "/v2/bot/message/reply")
      .map((c) => c.at)
      .sort((a, b) => a - b);
    // The limiter grants permits by Redis's clock; LINE counts them as they arrive, after
    // scheduling and network delays that can bring two grants closer. So: over the whole run no
    // faster than the rate (30 permits span at least 2.9 s once granted; 10% slack for those
    // delays), and in any one-second window the rate plus the one-request burst allowance, plus
    // one request that a delay moved into the window.
    const spanMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(((times.length - 1) / spanMs) * 1_000).toBeLessThanOrEqual(perSecond * 1.1);
    const busiest = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 1_000).length),
    );
    expect(busiest).toBeLessThanOrEqual(perSecond + 2);
  });

  it("keeps a failed event as a dead letter, lists it, and replays it by push without repeating what it sent", async () => {
    const marker = join(tmpdir(), `linefleet-fail-${randomUUID()}`);
    writeFileSync(marker, "");
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      workerEnv: { BOT_MODULE: "tests/bots/fail-on-marker.ts", FAIL_MARKER: marker },
    });
    const s = stack;
    const user = s.emulator.state().users[0]?.userId ?? "";
    const sent = s.emulator.sendEvent({ type: "text", from: user, text: "order 42" });
    await s.workers[0]?.waitForLine((line) => line.msg === "event dead-lettered");

    const cli = (...args: string[]) =>
      runCli(args, { REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: s.prefix });
    const listed = await cli("list", "--json");
    const letters = JSON.parse(listed.stdout) as Array<{
      webhookEventId: string;
      error: string;
      sends: unknown[];
    }>;
    expect(letters.map((l) => l.webhookEventId)).toEqual([sent.webhookEventId]);
    expect(letters[0]?.error).toContain("the downstream system refused it");
    expect(letters[0]?.sends).toHaveLength(1);

    rmSync(marker);
    const replayed = await cli("replay", sent.webhookEventId);
    expect(replayed.code).toBe(0);
    await waitFor(() => s.emulator.messages(user).filter((m) => m.from === "bot").length >= 2, {
      what: "the replay",
    });
    await waitForIdle(inject("redisUrl"), s.prefix);
    expect(
      s.emulator
        .messages(user)
        .filter((m) => m.from === "bot")
        .map((m) => [m.via, m.message.text]),
    ).toEqual([
      ["reply", "got it: order 42"],
      ["push", "done: order 42"],
    ]);
    expect(JSON.parse((await cli("list", "--json")).stdout)).toEqual([]);
  });
});

/** Runs the dead-letters CLI as a user would, and collects what it printed. */
async function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ["packages/linefleet/src/worker/dead-letters.ts", ...args],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", ...env },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stdout, stderr };
}
