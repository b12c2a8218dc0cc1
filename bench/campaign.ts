/**
 * A 100,000-recipient campaign against the emulator: how long from `linefleet campaign send` to
 * "done", and what Redis keeps for it. Two workers (`linefleet worker`, default settings: multicast
 * at LINE's 200/s), the emulator in this process with LINE's own limits, a local redis-server.
 * Writes bench/out/campaign.json. Alone (not part of `pnpm bench`):
 * node bench/campaign.ts [recipients]
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createEmulator } from "@linefleet/emulator";
import { campaignKeys } from "@linefleet/store";
import { startLocalRedisServer, startStack } from "@linefleet/test-support";
import { Redis } from "ioredis";
import { cliPath } from "linefleet";

const recipients = Number(process.argv[2] ?? 100_000);
const redisServer = await startLocalRedisServer();
const emulator = createEmulator({
  channelSecret: "campaign-bench-channel-secret",
  channelAccessToken: "campaign-bench-access-token",
  users: Array.from({ length: recipients }, (_, i) => ({ displayName: `user ${i}` })),
});
await emulator.listen({ port: 0, host: "127.0.0.1" });
const stack = await startStack({
  redisUrl: redisServer.url,
  lineApiUrl: emulator.url,
  channelSecret: emulator.channelSecret,
  channelAccessToken: emulator.channelAccessToken,
  workers: 2,
  env: { LOG_LEVEL: "info" },
});
const redis = new Redis(redisServer.url);
const dir = mkdtempSync(join(tmpdir(), "linefleet-campaign-bench-"));

try {
  const ids = emulator.state().users.map((user) => user.userId);
  writeFileSync(join(dir, "ids.txt"), `${ids.join("\n")}\n`);
  writeFileSync(
    join(dir, "campaign.json"),
    JSON.stringify({
      name: "bench",
      audience: { userIdsFile: "ids.txt" },
      messages: [{ type: "text", text: "one message each" }],
    }),
  );
  const usedBefore = Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);

  const started = performance.now();
  const command = spawn(
    process.execPath,
    [cliPath, "campaign", "send", join(dir, "campaign.json")],
    {
      env: { PATH: process.env.PATH ?? "", REDIS_URL: redisServer.url, QUEUE_PREFIX: stack.prefix },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let id = "";
  let idAfterMs = 0;
  let last = "";
  for await (const line of createInterface({ input: command.stdout })) {
    if (!id) {
      id = line.trim();
      idAfterMs = performance.now() - started;
    }
    last = line;
  }
  const wallMs = performance.now() - started;

  const keys = campaignKeys(stack.prefix);
  const record = await redis.hgetall(keys.record(id));
  const usage = async (key: string) => Number(await redis.memory("USAGE", key, "SAMPLES", "0"));
  const memory = {
    record: await usage(keys.record(id)),
    recipients: await usage(keys.recipients(id)),
    chunks: await usage(keys.chunks(id)),
  };
  const usedAfter = Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
  const counts = emulator.recipientCounts("multicast");
  const multicasts = emulator.apiCalls().filter((call) => call.operation === "multicast");
  const sendingMs = Number(record.finishedAt) - Number(record.startedAt);
  const results = {
    recipients,
    chunks: multicasts.length,
    lastLine: last,
    reachedOnce:
      counts.recipients === recipients && Object.values(counts.counts).every((n) => n === 1),
    idPrintedAfterMs: Math.round(idAfterMs),
    sendingMs,
    wallMs: Math.round(wallMs),
    recipientsPerSecond: Math.round((recipients / sendingMs) * 1000),
    rateLimited429: multicasts.filter((call) => call.status === 429).length,
    redisBytes: { ...memory, total: memory.record + memory.recipients + memory.chunks },
    bytesPerRecipient:
      Math.round(((memory.record + memory.recipients + memory.chunks) / recipients) * 10) / 10,
    redisUsedMemoryGrowth: usedAfter - usedBefore,
  };
  console.log(JSON.stringify(results, null, 2));
  mkdirSync("bench/out", { recursive: true });
  writeFileSync("bench/out/campaign.json", `${JSON.stringify(results, null, 2)}\n`);
} finally {
  redis.disconnect();
  await stack.stop();
  await emulator.close();
  await redisServer.stop();
  rmSync(dir, { recursive: true, force: true });
}
