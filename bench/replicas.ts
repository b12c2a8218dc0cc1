/**
 * What INGRESS_MIN_REPLICAS costs: the ingress's enqueue throughput and latency on a Redis with
 * one replica (a master and a `replicaof` replica, both `redis-server` on loopback), with
 * INGRESS_MIN_REPLICAS=0 (acknowledged once the master has the write) and =1 (once `WAIT` says
 * the replica has it too). One ingress process per setting on the same Redis, no worker, signed
 * unique webhooks from 1,000 chats, autocannon closed loop, rounds interleaved, median.
 *
 * Scenario 6 of `pnpm bench` (`--only=replicas`); `node bench/replicas.ts [--quick]` runs it alone
 * and writes bench/out/replicas.json and, rendered as in RESULTS.md, bench/out/replicas.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { startLocalRedisServer, startStack, waitFor } from "@linefleet/test-support";
import { Redis } from "ioredis";
import {
  benchWebhook,
  CHANNEL_SECRET,
  CONNECTIONS,
  CpuMeter,
  type Flags,
  log,
  maxThroughput,
  median,
  type PacedResult,
  paced,
  parseFlags,
  pidOf,
  type ThroughputResult,
} from "./lib.ts";

export interface ReplicasTarget {
  minReplicas: number;
  rounds: ThroughputResult[];
  /** Median of the rounds' requests/s. */
  rps: number;
  p50: number;
  p99: number;
  /** Requests answered otherwise than 200, over the rounds. */
  failed: number;
  /** CPU µs per request of the ingress process, over the rounds. */
  ingressCpuUsPerRequest: number;
  /** Latency at a constant PACED_RATE (open loop), median of the rounds. */
  paced: { p50: number; p99: number; failed: number };
}

export interface ReplicasResults {
  durationS: number;
  pacedRate: number;
  rounds: number;
  chats: number;
  targets: ReplicasTarget[];
}

const CHATS = 1_000;
/** Well under saturation, so the latency shows the round trip to the replica, not a queue. */
const PACED_RATE = 200;

export async function runReplicas(flags: Flags): Promise<ReplicasResults> {
  const master = await startLocalRedisServer();
  const replica = await startLocalRedisServer({ replicaOf: master });
  const durationS = flags.quick ? 2 : 8;
  const rounds = flags.quick ? 1 : 3;
  try {
    const probe = new Redis(replica.url);
    await waitFor(
      async () => String(await probe.info("replication")).includes("master_link_status:up"),
      { timeoutMs: 15_000, what: "the replica in sync" },
    ).finally(() => probe.disconnect());
    log(`redis ${master.url}, its replica ${replica.url}`);
    const stacks = [];
    for (const minReplicas of [0, 1]) {
      stacks.push({
        minReplicas,
        stack: await startStack({
          redisUrl: master.url,
          lineApiUrl: "http://127.0.0.1:9",
          channelSecret: CHANNEL_SECRET,
          prefix: `bench-replicas-${minReplicas}-${Date.now()}`,
          workers: 0,
          env: { LOG_LEVEL: "info" },
          ingressEnv: { INGRESS_MIN_REPLICAS: String(minReplicas) },
        }),
      });
    }
    const bySetting = new Map<
      number,
      { rounds: ThroughputResult[]; paced: PacedResult[]; cpuMs: number; requests: number }
    >();
    for (let round = 0; round < rounds; round++) {
      for (const { minReplicas, stack } of stacks) {
        const meter = new CpuMeter({ ingress: pidOf(stack.ingress) });
        meter.start();
        const result = await maxThroughput(`${stack.ingressUrl}/webhook`, durationS, (n) =>
          benchWebhook(n, CHATS),
        );
        const used = meter.stop();
        const fixed = await paced(`${stack.ingressUrl}/webhook`, PACED_RATE, durationS, (n) =>
          benchWebhook(n, CHATS),
        );
        const entry = bySetting.get(minReplicas) ?? {
          rounds: [],
          paced: [],
          cpuMs: 0,
          requests: 0,
        };
        entry.rounds.push(result);
        entry.paced.push(fixed);
        entry.cpuMs += used.ingress ?? 0;
        entry.requests += result.ok;
        bySetting.set(minReplicas, entry);
        log(
          `INGRESS_MIN_REPLICAS=${minReplicas} round ${round + 1}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.failed} failed; at ${PACED_RATE} req/s p50 ${fixed.p50.toFixed(2)} ms, p99 ${fixed.p99.toFixed(2)} ms`,
        );
      }
    }
    await Promise.all(stacks.map(({ stack }) => stack.stop()));
    return {
      durationS,
      pacedRate: PACED_RATE,
      rounds,
      chats: CHATS,
      targets: [...bySetting].map(([minReplicas, entry]) => ({
        minReplicas,
        rounds: entry.rounds,
        rps: median(entry.rounds.map((r) => r.rps)),
        p50: median(entry.rounds.map((r) => r.p50)),
        p99: median(entry.rounds.map((r) => r.p99)),
        failed: entry.rounds.reduce((sum, r) => sum + r.failed, 0),
        ingressCpuUsPerRequest: entry.requests ? (entry.cpuMs * 1_000) / entry.requests : 0,
        paced: {
          p50: median(entry.paced.map((r) => r.p50)),
          p99: median(entry.paced.map((r) => r.p99)),
          failed: entry.paced.reduce((sum, r) => sum + r.failed, 0),
        },
      })),
    };
  } finally {
    await replica.close();
    await master.close();
  }
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const int = (value: number) => Math.round(value).toLocaleString("en-US");

/** Scenario 6: what INGRESS_MIN_REPLICAS costs (bench/replicas.ts). */
export function renderReplicas(r: ReplicasResults): string[] {
  const [none, one] = r.targets;
  return [
    "## 6. Waiting for a replica",
    "",
    `\`INGRESS_MIN_REPLICAS=0\` and \`=1\` on one Redis with one replica (\`replicaof\`, both on loopback): one ingress per setting, no worker, signed unique webhooks from ${int(r.chats)} chats, autocannon closed loop (${CONNECTIONS} connections, ${r.durationS} s), rounds interleaved, median of ${r.rounds}:`,
    "",
    "| `INGRESS_MIN_REPLICAS` | req/s | p50 | p99 | not 200 | ingress CPU / request |",
    "|---|---|---|---|---|---|",
    ...r.targets.map(
      (t) =>
        `| ${t.minReplicas} | ${int(t.rps)} | ${ms(t.p50)} ms | ${ms(t.p99)} ms | ${int(t.failed)} | ${int(t.ingressCpuUsPerRequest)} µs |`,
    ),
    "",
    `Latency at a constant ${int(r.pacedRate)} req/s (open loop, from when each request was due), after each closed-loop round:`,
    "",
    "| `INGRESS_MIN_REPLICAS` | p50 | p99 | not 200 |",
    "|---|---|---|---|",
    ...r.targets.map(
      (t) =>
        `| ${t.minReplicas} | ${ms(t.paced.p50)} ms | ${ms(t.paced.p99)} ms | ${int(t.paced.failed)} |`,
    ),
    "",
    ...(none && one
      ? [
          `\`=1\` against \`=0\`, same run: req/s **${(one.rps / none.rps).toFixed(2)}×**, p99 **${(one.p99 / Math.max(none.p99, 0.001)).toFixed(2)}×**; at ${int(r.pacedRate)} req/s p50 **${(one.paced.p50 / Math.max(none.paced.p50, 0.001)).toFixed(2)}×**, p99 **${(one.paced.p99 / Math.max(none.paced.p99, 0.001)).toFixed(2)}×**.`,
          "",
        ]
      : []),
  ];
}

if (import.meta.main) {
  const load = loadavg()[0]?.toFixed(1);
  const results = await runReplicas(parseFlags(process.argv.slice(2)));
  mkdirSync("bench/out", { recursive: true });
  writeFileSync("bench/out/replicas.json", JSON.stringify(results, null, 2));
  writeFileSync("bench/out/replicas.md", `${renderReplicas(results).join("\n")}\n`);
  log(`load average at the start: ${load}`);
  for (const target of results.targets) {
    log(
      `INGRESS_MIN_REPLICAS=${target.minReplicas}: ${Math.round(target.rps)} req/s (median of ${results.rounds}), p50 ${target.p50} ms, p99 ${target.p99} ms, ${target.failed} failed, ingress ${Math.round(target.ingressCpuUsPerRequest)} µs CPU/request`,
    );
  }
  const [none, one] = results.targets;
  if (none && one) {
    log(
      `ratio 1/0: req/s ${(one.rps / none.rps).toFixed(2)}, p99 ${(one.p99 / Math.max(none.p99, 0.001)).toFixed(2)}`,
    );
  }
  process.exit(0);
}
