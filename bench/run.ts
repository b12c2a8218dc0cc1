/**
 * `pnpm bench [--quick] [--only=ingress,cost,e2e,burst,memory,replicas]`: starts its own Redis, linefleet's
 * processes, the comparison servers and LINE's stand-in, runs every scenario on this machine in
 * one run and writes the report (bench/RESULTS.md; a quick run writes bench/out/RESULTS-quick.md).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { startLocalRedisServer } from "@linefleet/test-support";
import { Redis } from "ioredis";
import { runBurst } from "./burst.ts";
import { runCost } from "./cost.ts";
import { runEndToEnd } from "./end-to-end.ts";
import { runIngress } from "./ingress.ts";
import { log, machine, parseFlags } from "./lib.ts";
import { MEMORY_EVENTS, runRedisMemory } from "./redis-memory.ts";
import { runReplicas } from "./replicas.ts";
import { plots, type Results, renderResults } from "./report.ts";

const flags = parseFlags(process.argv.slice(2));
const wanted = (name: string) => flags.only.size === 0 || flags.only.has(name);

const redis = await startLocalRedisServer();
const probe = new Redis(redis.url);
const redisPid = Number(/process_id:(\d+)/.exec(await probe.info("server"))?.[1]);
probe.disconnect();
log(`redis-server ${redis.url} (pid ${redisPid})${flags.quick ? ", quick mode" : ""}`);

const results: Results = { machine: machine(), quick: flags.quick };
try {
  if (wanted("ingress")) results.ingress = await runIngress(redis.url, redisPid, flags);
  if (wanted("cost")) results.cost = await runCost(redis.url, redisPid, flags);
  if (wanted("e2e")) results.endToEnd = await runEndToEnd(redis.url, redisPid, flags);
  if (wanted("burst")) results.burst = await runBurst(redis.url, redisPid, flags);
  if (wanted("memory")) {
    // On a Redis of its own: used_memory counts the whole server, and the keys the scenarios
    // before left behind (their done marks, say) would expire during this one's measurement.
    const own = await startLocalRedisServer();
    try {
      results.memory = await runRedisMemory(own.url, {
        events: flags.quick ? 500 : MEMORY_EVENTS,
      });
    } finally {
      await own.close();
    }
    log(
      `memory: ${results.memory.usedMemoryPerEvent.toFixed(0)} B per event by used_memory, ${results.memory.retainedPerEvent.toFixed(0)} B by MEMORY USAGE (dedupe marks ${results.memory.dedupePerEvent.toFixed(0)} B)`,
    );
  }
  // On a Redis of its own, with a replica.
  if (wanted("replicas")) results.replicas = await runReplicas(flags);
} finally {
  await redis.close();
}

results.machine.loadAverageAtEnd = loadavg()[0] ?? Number.NaN;
// A full run is the record; quick or partial runs go to bench/out (not committed).
const partial = flags.quick || flags.only.size > 0;
const report = partial ? "bench/out/RESULTS-partial.md" : "bench/RESULTS.md";
mkdirSync("bench/out", { recursive: true });
writeFileSync(report, `${renderResults(results)}\n`);
// The plots the report links, beside it.
const plotDir = partial ? "bench/out/plots" : "bench/plots";
mkdirSync(plotDir, { recursive: true });
for (const plot of plots(results)) writeFileSync(`${plotDir}/${plot.file}`, plot.svg);
writeFileSync(
  `bench/out/results${partial ? "-partial" : ""}.json`,
  JSON.stringify(results, null, 2),
);
log(`done: ${report}`);
process.exit(0);
