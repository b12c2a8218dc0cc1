/**
 * `node bench/ingress-tail.ts [--seconds=10] [--rounds=3] [--rate=2000] [--profile] [variants…]`:
 * the ingress's tail at a constant 2,000 req/s (open loop, `paced()`), one ingress process per
 * variant, rounds interleaved in one run against one Redis, bare Fastify beside them as the floor.
 * Each variant runs with `--trace-gc`, whose scavenge lines give the young-generation pauses.
 * Variants are space-separated lists of Node flags, of environment settings (`NAME=value`, e.g.
 * `INGRESS_WRITE_WINDOW_MS=0`) and of `code=<dir>`, a checkout of another version of linefleet to
 * run the ingress from (before/after a change in one run); `default` means nothing extra.
 *
 * `--profile` instead runs each variant once with `--cpu-prof` and prints the top self-time
 * frames (profiles are left in bench/out/prof). `--closed` loads each variant closed loop
 * (autocannon, 32 connections) instead of at a constant rate: throughput, and CPU per request.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AppProcess,
  freePort,
  startApp,
  startLocalRedisServer,
  waitForHttp,
} from "@linefleet/test-support";
import { Redis } from "ioredis";
import {
  benchWebhook,
  CHANNEL_SECRET,
  cpuMs,
  log,
  maxThroughput,
  median,
  paced,
  pidOf,
  startServer,
} from "./lib.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
/** The target is 2,000 req/s; `--rate` is for a machine too loaded to offer that. */
const RATE = option("rate", 2_000);
const seconds = option("seconds", 10);
const rounds = option("rounds", 3);
const profile = args.includes("--profile");
const closed = args.includes("--closed");
const ownOptions = /^--(seconds|rounds|rate)=|^--profile$|^--closed$/;
const variants = args.filter((a) => !ownOptions.test(a));
if (variants.length === 0) {
  variants.push(
    "default",
    "--max-semi-space-size=8",
    "--max-semi-space-size=16",
    "--max-semi-space-size=32",
  );
}
const partsOf = (variant: string) => (variant === "default" ? [] : variant.split(" "));
const isSetting = (part: string) => /^[A-Z][A-Z0-9_]*=/.test(part);
const flagsOf = (variant: string) =>
  partsOf(variant).filter((part) => !isSetting(part) && !part.startsWith("code="));
const settingsOf = (variant: string) =>
  Object.fromEntries(
    partsOf(variant)
      .filter(isSetting)
      .map((part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)]),
  );
const codeOf = (variant: string) =>
  partsOf(variant)
    .find((part) => part.startsWith("code="))
    ?.slice("code=".length) ?? ".";

const redis = await startLocalRedisServer();
const probe = new Redis(redis.url);
const redisPid = Number(/process_id:(\d+)/.exec(await probe.info("server"))?.[1]);
const profileDir = "bench/out/prof";

async function startIngress(variant: string, index: number): Promise<AppProcess & { url: string }> {
  const port = await freePort();
  const extra = profile
    ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=ingress-${index}.cpuprofile`]
    : ["--trace-gc"];
  const app = startApp(
    `ingress-${index}`,
    join(codeOf(variant), "apps/ingress/src/main.ts"),
    {
      ...settingsOf(variant),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `tail-${index}`,
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    [...flagsOf(variant), ...extra],
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000);
  return Object.assign(app, { url });
}

/** Young-generation pauses (ms) from `--trace-gc` lines: `… Scavenge a (b) -> c (d) MB, pooled: 0 MB, 1.23 / 0.00 ms …`. */
function scavengePauses(output: string): number[] {
  const line = /Scavenge .*? MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/g;
  return [...output.matchAll(line)].map((m) => Number(m[1]));
}

const make = (n: number) => benchWebhook(n, 1_000);
if (profile) mkdirSync(profileDir, { recursive: true });
// One after another: on a loaded machine several starting at once can miss the start timeout.
const ingresses: Array<AppProcess & { url: string }> = [];
for (const [i, variant] of variants.entries()) ingresses.push(await startIngress(variant, i));
const bare = await startServer("bare-fastify");
const targets = [
  ...ingresses.map((app, i) => ({ name: variants[i] ?? "?", url: `${app.url}/webhook`, app })),
  { name: "bare Fastify (floor)", url: `${bare.url}/webhook`, app: bare.app },
];
const samples = new Map(
  targets.map((t) => [
    t.name,
    {
      rps: [] as number[],
      p99: [] as number[],
      p50: [] as number[],
      cpu: [] as number[],
      loopP99: [] as number[],
      loopMax: [] as number[],
      gcMsPerS: [] as number[],
      failed: 0,
    },
  ]),
);

/**
 * What the ingress's own /metrics says of its event loop and its GC: prom-client's event-loop
 * delay (p99 and max since the previous scrape, which resets it) and the GC time so far, in ms.
 */
async function loopAndGc(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (pattern: RegExp) =>
    [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  return {
    loopP99Ms: value(/^nodejs_eventloop_lag_p99_seconds ([\d.e+-]+)$/gm) * 1000,
    loopMaxMs: value(/^nodejs_eventloop_lag_max_seconds ([\d.e+-]+)$/gm) * 1000,
    gcMs: value(/^nodejs_gc_duration_seconds_sum\{[^}]*\} ([\d.e+-]+)$/gm) * 1000,
  };
}

try {
  for (const target of targets) await paced(target.url, RATE, 2, make); // warm up
  for (let round = 0; round < (profile ? 1 : rounds); round++) {
    for (const target of targets) {
      await probe.flushall();
      const pids = [pidOf(target.app), ...(target.app === bare.app ? [] : [redisPid])];
      const isIngress = target.app !== bare.app;
      const loopBefore = isIngress
        ? await loopAndGc(target.url.replace(/\/webhook$/, ""))
        : undefined;
      const before = pids.map(cpuMs);
      const result = closed
        ? await maxThroughput(target.url, seconds, make)
        : await paced(target.url, RATE, seconds, make);
      const used = pids.map((pid, i) => cpuMs(pid) - (before[i] ?? 0)).reduce((a, b) => a + b, 0);
      const sample = samples.get(target.name);
      if (loopBefore && sample) {
        const loop = await loopAndGc(target.url.replace(/\/webhook$/, ""));
        sample.loopP99.push(loop.loopP99Ms);
        sample.loopMax.push(loop.loopMaxMs);
        sample.gcMsPerS.push((loop.gcMs - loopBefore.gcMs) / seconds);
      }
      sample?.rps.push(result.ok / seconds);
      sample?.p99.push(result.p99);
      sample?.p50.push(result.p50);
      sample?.cpu.push((used * 1000) / result.ok);
      if (sample) sample.failed += result.failed;
      log(
        `round ${round + 1} ${target.name}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, failed ${result.failed}`,
      );
    }
  }
} finally {
  await Promise.all([...ingresses.map((app) => app.stop()), bare.app.stop()]);
  probe.disconnect();
  await redis.close();
}

process.stdout.write(
  `\n${closed ? "closed loop" : `${RATE} req/s`} for ${seconds} s, ${profile ? 1 : rounds} interleaved rounds; CPU is the server's (+ Redis for the ingress)\n\n` +
    "| Variant | req/s (median) | p99 ms (median; rounds) | p50 ms | CPU µs/request | scavenges | scavenge pause mean / max ms | event-loop delay p99 / max ms | GC ms per s | failed |\n|---|---:|---|---:|---:|---:|---|---|---:|---:|\n",
);
for (const [i, target] of targets.entries()) {
  const s = samples.get(target.name);
  if (!s) continue;
  const pauses = target.app === bare.app || profile ? [] : scavengePauses(target.app.output());
  const mean = pauses.reduce((a, b) => a + b, 0) / (pauses.length || 1);
  const gc = pauses.length ? `${mean.toFixed(2)} / ${Math.max(...pauses).toFixed(2)}` : "–";
  const loop = s.loopP99.length
    ? `${median(s.loopP99).toFixed(1)} / ${median(s.loopMax).toFixed(1)}`
    : "–";
  const gcShare = s.gcMsPerS.length ? median(s.gcMsPerS).toFixed(1) : "–";
  process.stdout.write(
    `| ${target.name} | ${median(s.rps).toFixed(0)} | ${median(s.p99).toFixed(2)}; ${s.p99.map((v) => v.toFixed(1)).join(", ")} | ${median(s.p50).toFixed(2)} | ${median(s.cpu).toFixed(0)} | ${pauses.length || "–"} | ${gc} | ${loop} | ${gcShare} | ${s.failed} |\n`,
  );
  if (profile && i < ingresses.length)
    printTopFrames(join(profileDir, `ingress-${i}.cpuprofile`), target.name);
}

/** Self time per function (name, file:line) from a V8 .cpuprofile, as shares of all samples. */
function printTopFrames(file: string, name: string, top = 20) {
  if (!readdirSync(profileDir).includes(file.split("/").pop() ?? "")) return;
  const prof = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: Array<{
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }>;
    samples: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  for (const id of prof.samples) {
    const frame = byId.get(id);
    if (!frame) continue;
    const where = frame.url
      ? ` ${frame.url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^file:\/\/.*?\/(apps|packages)\//, "$1/")}:${frame.lineNumber + 1}`
      : "";
    const key = `${frame.functionName || "(anonymous)"}${where}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = prof.samples.length;
  const idle = self.get("(idle)") ?? 0;
  process.stdout.write(
    `\nTop self time, ${name} (${total} samples, ${((100 * (total - idle)) / total).toFixed(0)}% busy; shares of busy samples):\n\n`,
  );
  const ranked = [...self.entries()]
    .filter(([key]) => key !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [key, count] of ranked) {
    process.stdout.write(`- ${((100 * count) / (total - idle)).toFixed(1)}% ${key}\n`);
  }
}
