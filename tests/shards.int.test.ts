import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProducerConnection, laneOf, redisKeys } from "@linefleet/store";
import { repoRoot, startApp, waitFor } from "@linefleet/test-support";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";
import { expectDepthOverShards } from "./sharded-depth.ts";

const SHARDS = 3;

describe(`QUEUE_SHARDS=${SHARDS} on a single Redis`, () => {
  let stack: EmulatedStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it("shows the real depth of every shard in the queue gauges and the dashboard", async () => {
    const redis = createProducerConnection(inject("redisUrl"));
    try {
      await once(redis, "ready");
      const keys = redisKeys(`t-${randomUUID()}`, { shards: SHARDS });
      const perShard = await expectDepthOverShards(redis, keys);
      expect(perShard.filter((count) => count > 0).length).toBeGreaterThan(1);
    } finally {
      redis.disconnect();
    }
  });

  it("lists and replays dead letters from every shard, and refuses another shard count", async () => {
    const marker = join(tmpdir(), `linefleet-fail-${randomUUID()}`);
    writeFileSync(marker, "");
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      env: { QUEUE_SHARDS: String(SHARDS) },
      workerEnv: { BOT_MODULE: "tests/bots/fail-on-marker.ts", FAIL_MARKER: marker },
      emulator: { users: Array.from({ length: 9 }, (_, i) => ({ displayName: `u${i}` })) },
    });
    const s = stack;
    const users = s.emulator.state().users.map((user) => user.userId);
    const sent = users.map((from) => s.emulator.sendEvent({ type: "text", from, text: from }));
    await waitFor(
      () =>
        (s.workers[0]?.lines ?? []).filter(
          (line) => typeof line === "object" && line.msg === "event dead-lettered",
        ).length === users.length,
      { timeoutMs: 20_000, what: "every event dead-lettered" },
    );
    // The six chats fell in more than one shard: the CLI has to read them all.
    const { layout } = redisKeys(s.prefix, { shards: SHARDS });
    const bot = s.emulator.bot.userId;
    const shardsUsed = new Set(
      users.map((user) => layout.shardOfLane(laneOf(bot, { type: "user", userId: user }) ?? "")),
    );
    expect(shardsUsed.size).toBeGreaterThan(1);

    const env = { REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: s.prefix };
    const cli = (...args: string[]) => runCli(args, { ...env, QUEUE_SHARDS: String(SHARDS) });
    const listed = JSON.parse((await cli("list", "--json")).stdout) as Array<{
      webhookEventId: string;
    }>;
    expect(listed.map((letter) => letter.webhookEventId).sort()).toEqual(
      sent.map((event) => event.webhookEventId).sort(),
    );

    rmSync(marker);
    expect((await cli("replay", "--all")).code).toBe(0);
    await waitFor(
      () =>
        users.every(
          (user) => s.emulator.messages(user).filter((m) => m.from === "bot").length === 2,
        ),
      { what: "every replay answered" },
    );
    await waitFor(async () => JSON.parse((await cli("list", "--json")).stdout).length === 0, {
      what: "no dead letter left",
    });

    // Another count on the same deployment is refused, by the CLI and by a worker, naming both.
    const wrongCli = await runCli(["list"], { ...env, QUEUE_SHARDS: "2" });
    expect(wrongCli.code).toBe(78);
    expect(wrongCli.stderr).toContain(
      `QUEUE_SHARDS is 2, but this deployment's queue was created with ${SHARDS} shards`,
    );
    const worker = startApp("worker-wrong-count", "packages/linefleet/src/worker/main.ts", {
      ...env,
      QUEUE_SHARDS: "6",
      LINE_CHANNEL_ACCESS_TOKEN: "token",
    });
    const code = await new Promise<number | null>((resolve) => worker.child.once("exit", resolve));
    expect(code).toBe(78);
    expect(worker.output()).toContain(
      `QUEUE_SHARDS is 6, but this deployment's queue was created with ${SHARDS} shards`,
    );
  });
});

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
