/**
 * Scenario 5, shards: the ingress's enqueue throughput on a local Redis Cluster (3 masters,
 * 3 replicas, `startRedisCluster`), with QUEUE_SHARDS=1 (every event on one master) and
 * QUEUE_SHARDS=3 (one shard per master). One ingress process, no worker, signed unique
 * webhooks from 1,000 chats, autocannon closed loop, rounds interleaved, median.
 *
 * `node bench/shards.ts [--quick]` runs it alone and writes bench/out/shards.json; `runShards`
 * is the entry point for `bench/run.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { startRedisCluster, startStack } from "@linefleet/test-support";
import {
  benchWebhook,
  CHANNEL_SECRET,
  CpuMeter,
  type Flags,
  log,
  maxThroughput,
  median,
  parseFlags,
  pidOf,
  type ThroughputResult,
} from "./lib.ts";

export interface ShardsTarget {
  shards: number;
  rounds: ThroughputResult[];
  /** Median of the rounds' requests/s. */
  rps: number;
  p50: number;
  p99: number;
  /** CPU µs per request of the ingress process, over the rounds. */
  ingressCpuUsPerRequest: number;
}

export interface ShardsResults {
  durationS: number;
  rounds: number;
  chats: number;
  targets: ShardsTarget[];
}

const CHATS = 1_000;

export async function runShards(flags: Flags): Promise<ShardsResults> {
  const cluster = await startRedisCluster();
  log(`redis cluster ${cluster.seeds}`);
  const durationS = flags.quick ? 2 : 8;
  const rounds = flags.quick ? 1 : 3;
  try {
    const stacks = [];
    for (const shards of [1, 3]) {
      stacks.push({
        shards,
        stack: await startStack({
          redisUrl: "redis://127.0.0.1",
          lineApiUrl: "http://127.0.0.1:9",
          channelSecret: CHANNEL_SECRET,
          prefix: `bench-shards-${shards}-${Date.now()}`,
          workers: 0,
          env: {
            REDIS_CLUSTER_NODES: cluster.seeds,
            QUEUE_SHARDS: String(shards),
            LOG_LEVEL: "info",
          },
        }),
      });
    }
    const byShards = new Map<
      number,
      { rounds: ThroughputResult[]; cpuMs: number; requests: number }
    >();
    for (let round = 0; round < rounds; round++) {
      for (const { shards, stack } of stacks) {
        const meter = new CpuMeter({ ingress: pidOf(stack.ingress) });
        meter.start();
        const result = await maxThroughput(`${stack.ingressUrl}/webhook`, durationS, (n) =>
          benchWebhook(n, CHATS),
        );
        const used = meter.stop();
        const entry = byShards.get(shards) ?? { rounds: [], cpuMs: 0, requests: 0 };
        entry.rounds.push(result);
        entry.cpuMs += used.ingress ?? 0;
        entry.requests += result.ok;
        byShards.set(shards, entry);
        log(
          `shards=${shards} round ${round + 1}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.failed} failed`,
        );
      }
    }
    await Promise.all(stacks.map(({ stack }) => stack.stop()));
    return {
      durationS,
      rounds,
      chats: CHATS,
      targets: [...byShards].map(([shards, entry]) => ({
        shards,
        rounds: entry.rounds,
        rps: median(entry.rounds.map((r) => r.rps)),
        p50: median(entry.rounds.map((r) => r.p50)),
        p99: median(entry.rounds.map((r) => r.p99)),
        ingressCpuUsPerRequest: entry.requests ? (entry.cpuMs * 1_000) / entry.requests : 0,
      })),
    };
  } finally {
    await cluster.close();
  }
}

if (import.meta.main) {
  const results = await runShards(parseFlags(process.argv.slice(2)));
  mkdirSync("bench/out", { recursive: true });
  writeFileSync("bench/out/shards.json", JSON.stringify(results, null, 2));
  for (const target of results.targets) {
    log(
      `QUEUE_SHARDS=${target.shards}: ${Math.round(target.rps)} req/s (median of ${results.rounds}), p50 ${target.p50} ms, p99 ${target.p99} ms, ingress ${Math.round(target.ingressCpuUsPerRequest)} µs CPU/request`,
    );
  }
  process.exit(0);
}
