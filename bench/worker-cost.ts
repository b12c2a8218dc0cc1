/**
 * `node bench/worker-cost.ts [--seconds=8] [--rounds=3] [--rate=500] [variants…]`: the worker's
 * CPU per event, and Redis's, with one worker process per variant, rounds interleaved in one run
 * against one Redis, one ingress (this checkout's) and the emulator as LINE. Each variant's worker
 * is started for its phase and stopped after it, so only one worker consumes at a time; the
 * ingress's own Redis work is the same in every phase.
 * Variants are space-separated lists of environment settings (`NAME=value`) and of `code=<dir>`,
 * a checkout of another version of linefleet to run the worker from (before/after a change in one
 * run); `default` means this checkout as it is.
 */
import { join, relative } from "node:path";
import {
  type AppProcess,
  repoRoot,
  startApp,
  startLocalRedisServer,
} from "@linefleet/test-support";
import { Redis } from "ioredis";
import { cliPath } from "linefleet";
import {
  CHANNEL_SECRET,
  log,
  median,
  pidOf,
  REPLY_TOKEN_MAX_AGE_MS,
  settle,
  startBenchStackOn,
  startLineSide,
  steady,
} from "./lib.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const rate = option("rate", 500);
const seconds = option("seconds", 8);
const rounds = option("rounds", 3);
const variants = args.filter((a) => !/^--(seconds|rounds|rate)=/.test(a));
if (variants.length === 0) variants.push("default");

const partsOf = (variant: string) => (variant === "default" ? [] : variant.split(" "));
const settingsOf = (variant: string) =>
  Object.fromEntries(
    partsOf(variant)
      .filter((part) => /^[A-Z][A-Z0-9_]*=/.test(part))
      .map((part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)]),
  );
const codeOf = (variant: string) =>
  partsOf(variant)
    .find((part) => part.startsWith("code="))
    ?.slice("code=".length) ?? repoRoot;

const redis = await startLocalRedisServer();
const probe = new Redis(redis.url);
const redisPid = Number(/process_id:(\d+)/.exec(await probe.info("server"))?.[1]);
const line = await startLineSide(1_000);
const stack = await startBenchStackOn(line, {
  redisUrl: redis.url,
  prefix: "worker-cost",
  workers: 0,
});

/** A worker as `startStack` runs it (echo bot, 16 at a time), from the variant's checkout. */
async function startWorker(variant: string, index: number): Promise<AppProcess> {
  const worker = startApp(
    `worker-${index}`,
    join(codeOf(variant), relative(repoRoot, cliPath)),
    {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: stack.prefix,
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: "bench-access-token",
      LINE_API_BASE_URL: line.emulator.url,
      LINE_DATA_API_BASE_URL: line.emulator.url,
      METRICS_PORT: "0",
      METRICS_HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      REPLY_TOKEN_MAX_AGE_MS: String(REPLY_TOKEN_MAX_AGE_MS),
      WORKER_CONCURRENCY: "16",
      ...settingsOf(variant),
    },
    [],
    ["worker"],
  );
  await worker.waitForLine((entry) => entry.msg === "worker ready", 60_000);
  return worker;
}

const samples = new Map(
  variants.map((v) => [v, { worker: [] as number[], redis: [] as number[], p99: [] as number[] }]),
);
try {
  for (let round = 0; round < rounds; round++) {
    for (const [index, variant] of variants.entries()) {
      const worker = await startWorker(variant, index);
      try {
        const pids = { worker: pidOf(worker), redis: redisPid };
        await steady(line, rate, 1, pids); // warm-up
        await settle(line);
        const result = await steady(line, rate, seconds, pids);
        const perEvent = (ms = 0) => (ms * 1000) / result.answered;
        const sample = samples.get(variant);
        sample?.worker.push(perEvent(result.cpuMs.worker));
        sample?.redis.push(perEvent(result.cpuMs.redis));
        sample?.p99.push(result.p99);
        log(
          `round ${round + 1} ${variant}: worker ${perEvent(result.cpuMs.worker).toFixed(0)} µs, ` +
            `Redis ${perEvent(result.cpuMs.redis).toFixed(0)} µs per event, ` +
            `answered ${result.answered}/${result.events}, p99 ${result.p99.toFixed(1)} ms`,
        );
      } finally {
        await worker.stop();
        await settle(line);
      }
    }
  }
  console.log("\n| Variant | worker µs/event | Redis µs/event | worker + Redis | p99 ms |");
  console.log("|---|---:|---:|---:|---:|");
  for (const [variant, s] of samples) {
    const [w, r] = [median(s.worker), median(s.redis)];
    console.log(
      `| ${variant} | ${w.toFixed(0)} (${s.worker.map((x) => x.toFixed(0)).join(", ")}) | ` +
        `${r.toFixed(0)} (${s.redis.map((x) => x.toFixed(0)).join(", ")}) | ${(w + r).toFixed(0)} | ` +
        `${median(s.p99).toFixed(1)} |`,
    );
  }
} finally {
  await stack.stop();
  await line.close();
  probe.disconnect();
  await redis.stop();
}
