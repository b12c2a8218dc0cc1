/**
 * Scenario 1, ingress: linefleet's /webhook (signature + dedupe + enqueue into real Redis, no
 * worker running) against a bare Fastify route and @line/bot-sdk's express middleware, each in
 * its own process, the same signed bodies, the same generator and connections, in one run.
 */
import { Redis } from "ioredis";
import {
  benchWebhook,
  CpuMeter,
  type Flags,
  log,
  maxThroughput,
  median,
  type PacedResult,
  paced,
  pidOf,
  startBenchStack,
  startNaivePipeline,
  startServer,
  type ThroughputResult,
} from "./lib.ts";

export const FIXED_RATE = 2_000;

export interface IngressTarget {
  name: "linefleet" | "naive" | "bare-fastify" | "sdk-express";
  label: string;
  rounds: ThroughputResult[];
  /** Median of the rounds' requests/s. */
  rps: number;
  fixed: PacedResult;
  /** CPU µs per request at the fixed rate: the server, plus Redis for linefleet. */
  cpuUsPerRequest: number;
}

export interface IngressResults {
  durationS: number;
  rounds: number;
  targets: IngressTarget[];
  vsSdk: number;
  vsBare: number;
  vsNaive: number;
}

export async function runIngress(redisUrl: string, redisPid: number, flags: Flags) {
  const redis = new Redis(redisUrl);
  const stack = await startBenchStack({ redisUrl, prefix: "bench-ingress", workers: 0 });
  const bare = await startServer("bare-fastify");
  const sdk = await startServer("sdk-express");
  const naive = await startNaivePipeline({ redisUrl, prefix: "bench-ingress-naive", workers: 0 });
  const durationS = flags.quick ? 2 : 8;
  const rounds = flags.quick ? 1 : 3;
  const fixedS = flags.quick ? 2 : 10;
  const servers: Array<{
    name: IngressTarget["name"];
    label: string;
    url: string;
    pids: Record<string, number>;
  }> = [
    {
      name: "linefleet",
      label: "linefleet /webhook (verify + dedupe + enqueue)",
      url: `${stack.ingressUrl}/webhook`,
      pids: { server: pidOf(stack.ingress), redis: redisPid },
    },
    {
      name: "naive",
      label: "naive pipeline (Fastify + HMAC + SET NX + queue.add)",
      url: `${naive.ingressUrl}/webhook`,
      pids: { server: pidOf(naive.ingress), redis: redisPid },
    },
    {
      name: "sdk-express",
      label: "@line/bot-sdk express middleware(), handler answers 200",
      url: `${sdk.url}/webhook`,
      pids: { server: sdk.pid },
    },
    {
      name: "bare-fastify",
      label: "bare Fastify route answering 200",
      url: `${bare.url}/webhook`,
      pids: { server: bare.pid },
    },
  ];
  const make = (n: number) => benchWebhook(n, 1_000);

  try {
    for (const server of servers) {
      log(`ingress: warming up ${server.name}`);
      await maxThroughput(server.url, flags.quick ? 1 : 3, make);
    }
    const results = new Map<string, ThroughputResult[]>(servers.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const server of servers) {
        await redis.flushall();
        const result = await maxThroughput(server.url, durationS, make);
        log(
          `ingress: round ${round + 1} ${server.name}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99} ms, failed ${result.failed}`,
        );
        results.get(server.name)?.push(result);
      }
    }
    const targets: IngressTarget[] = [];
    for (const server of servers) {
      await redis.flushall();
      const meter = new CpuMeter(server.pids);
      meter.start();
      const fixed = await paced(server.url, FIXED_RATE, fixedS, make);
      const cpu = meter.stop();
      const cpuMs = Object.values(cpu).reduce((a, b) => a + b, 0);
      log(
        `ingress: ${server.name} at ${FIXED_RATE}/s: p50 ${fixed.p50.toFixed(2)} ms, p99 ${fixed.p99.toFixed(2)} ms, failed ${fixed.failed}`,
      );
      const rounds = results.get(server.name) ?? [];
      targets.push({
        name: server.name,
        label: server.label,
        rounds,
        rps: median(rounds.map((r) => r.rps)),
        fixed,
        cpuUsPerRequest: (cpuMs * 1000) / fixed.ok,
      });
    }
    const rps = (name: string) => targets.find((t) => t.name === name)?.rps ?? Number.NaN;
    return {
      durationS,
      rounds,
      targets,
      vsSdk: rps("linefleet") / rps("sdk-express"),
      vsBare: rps("linefleet") / rps("bare-fastify"),
      vsNaive: rps("linefleet") / rps("naive"),
    } satisfies IngressResults;
  } finally {
    await Promise.all([stack.stop(), bare.app.stop(), sdk.app.stop(), naive.stop()]);
    await redis.flushall();
    redis.disconnect();
  }
}
