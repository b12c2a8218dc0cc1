/**
 * Scenario 4a, cost: CPU time per event end to end (ingress + Redis + one worker), from the
 * kernel's accounting of each process (utime + stime in /proc/<pid>/stat), at a fixed rate, over
 * the window from the first webhook to the last answer. The emulator (LINE) is not counted.
 * linefleet and the naive pipeline run the same load, one after the other, in the same run.
 */
import type { AppProcess } from "@linefleet/test-support";
import {
  type Flags,
  log,
  pidOf,
  type SteadyResult,
  settle,
  startBenchStackOn,
  startLineSide,
  startNaiveOn,
  steady,
} from "./lib.ts";

export const COST_RATE = 1_000;

export interface PipelineCost extends SteadyResult {
  /** CPU µs per event, per process and in total. */
  usPerEvent: Record<string, number>;
  totalUsPerEvent: number;
}

export interface CostResults extends PipelineCost {
  /** The naive durable pipeline on the same load. */
  naive: PipelineCost;
  /** linefleet's CPU per event over the naive pipeline's. */
  vsNaive: number;
}

/** A running pipeline, linefleet's or the naive one: the processes whose CPU is counted. */
type Running = { ingress: AppProcess; workers: AppProcess[]; stop(): Promise<void> };

async function measure(
  name: string,
  line: Awaited<ReturnType<typeof startLineSide>>,
  running: Running,
  redisPid: number,
  flags: Flags,
): Promise<PipelineCost> {
  const pids = {
    ingress: pidOf(running.ingress),
    worker: pidOf(running.workers[0] as AppProcess),
    redis: redisPid,
  };
  try {
    await steady(line, COST_RATE, flags.quick ? 1 : 3, pids); // warm-up
    await settle(line);
    const result = await steady(line, COST_RATE, flags.quick ? 3 : 15, pids);
    const usPerEvent = Object.fromEntries(
      Object.entries(result.cpuMs).map(([process, ms]) => [process, (ms * 1000) / result.answered]),
    );
    const totalUsPerEvent = Object.values(usPerEvent).reduce((a, b) => a + b, 0);
    log(
      `cost (${name}): ${totalUsPerEvent.toFixed(0)} µs CPU/event at ${COST_RATE}/s (${Object.entries(
        usPerEvent,
      )
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(
          ", ",
        )}), answered ${result.answered}/${result.events}, p99 ${result.p99.toFixed(1)} ms`,
    );
    return { ...result, usPerEvent, totalUsPerEvent };
  } finally {
    await running.stop();
    await settle(line);
  }
}

export async function runCost(redisUrl: string, redisPid: number, flags: Flags) {
  const line = await startLineSide(1_000);
  try {
    const stack = await startBenchStackOn(line, { redisUrl, prefix: "bench-cost", workers: 1 });
    const linefleet = await measure("linefleet", line, stack, redisPid, flags);
    const naivePipeline = await startNaiveOn(line, {
      redisUrl,
      prefix: "bench-cost-naive",
      workers: 1,
    });
    const naive = await measure("naive", line, naivePipeline, redisPid, flags);
    return {
      ...linefleet,
      naive,
      vsNaive: linefleet.totalUsPerEvent / naive.totalUsPerEvent,
    } satisfies CostResults;
  } finally {
    await line.close();
  }
}
