/**
 * Scenario 2, end to end: webhook sent by the LINE emulator → ingress → Redis → worker (echo bot)
 * → reply arriving at the emulator, at a steady rate, with 1 and then 2 worker processes, for
 * linefleet and for the naive pipeline on the same load. Then the highest steady rate at which
 * the p99 stays under 1 s with 2 workers, for linefleet and then for the naive pipeline (the
 * steps of both are plotted: p99 against offered rate).
 */
import {
  type Flags,
  type LineSide,
  log,
  type SteadyResult,
  settle,
  stackPids,
  startBenchStackOn,
  startLineSide,
  startNaiveOn,
  steady,
} from "./lib.ts";

export const E2E_RATE = 500;
/** The rates the capacity search tries, in order, until p99 reaches 1 s or the stack falls behind. */
export const CAPACITY_RATES = [250, 500, 750, 1_000, 1_250, 1_500, 2_000, 2_500, 3_000];
export const CAPACITY_P99_MS = 1_000;

export type Pipeline = "linefleet" | "naive";

/** The name under which a capacity step counts the CPU of the bench's own process (the LINE side). */
export const HARNESS = "harness";

export interface EndToEndResults {
  rate: number;
  phases: Array<{ pipeline: Pipeline; workers: number } & SteadyResult>;
  /** linefleet's p99 over the naive pipeline's, per worker count. */
  p99VsNaive: Record<number, number>;
  capacity: Capacity & {
    /** The naive pipeline's search, on the same rates. */
    naive: Capacity;
  };
}

export interface Capacity {
  workers: number;
  steps: SteadyResult[];
  /** The highest rate tried whose p99 stayed under CAPACITY_P99_MS with every event answered. */
  highestRate: number;
}

async function start(pipeline: Pipeline, line: LineSide, redisUrl: string, workers: number) {
  const prefix = `bench-e2e-${pipeline}-${workers}-${Date.now()}`;
  if (pipeline === "linefleet") {
    const stack = await startBenchStackOn(line, { redisUrl, prefix, workers });
    return { pids: (redisPid: number) => stackPids(stack, redisPid), stop: () => stack.stop() };
  }
  const naive = await startNaiveOn(line, { redisUrl, prefix, workers });
  return {
    pids: (redisPid: number) => ({
      ingress: naive.ingress.child.pid as number,
      redis: redisPid,
      ...Object.fromEntries(naive.workers.map((w) => [w.name, w.child.pid as number])),
    }),
    stop: () => naive.stop(),
  };
}

export async function runEndToEnd(redisUrl: string, redisPid: number, flags: Flags) {
  const durationS = flags.quick ? 3 : 15;
  const line = await startLineSide(100);
  const phases: EndToEndResults["phases"] = [];
  let capacity: Capacity = { workers: 2, steps: [], highestRate: 0 };
  let naiveCapacity: Capacity = { workers: 2, steps: [], highestRate: 0 };
  try {
    for (const pipeline of ["linefleet", "naive"] as const) {
      for (const workers of [1, 2]) {
        const running = await start(pipeline, line, redisUrl, workers);
        try {
          const pids = running.pids(redisPid);
          await steady(line, E2E_RATE, flags.quick ? 1 : 3, pids); // warm-up
          await settle(line);
          const result = await steady(line, E2E_RATE, durationS, pids);
          log(
            `e2e (${pipeline}): ${workers} worker(s) at ${E2E_RATE}/s: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, answered ${result.answered}/${result.events} at ${result.answerRate.toFixed(0)}/s${result.keptUp ? "" : " (fell behind)"}`,
          );
          phases.push({ pipeline, workers, ...result });
        } finally {
          await running.stop();
          await settle(line);
        }
      }
    }

    capacity = await searchCapacity("linefleet", line, redisUrl, redisPid, flags);
    naiveCapacity = await searchCapacity("naive", line, redisUrl, redisPid, flags);
  } finally {
    await line.close();
  }
  const p99 = (pipeline: Pipeline, workers: number) =>
    phases.find((p) => p.pipeline === pipeline && p.workers === workers)?.p99 ?? Number.NaN;
  return {
    rate: E2E_RATE,
    phases,
    p99VsNaive: {
      1: p99("linefleet", 1) / p99("naive", 1),
      2: p99("linefleet", 2) / p99("naive", 2),
    },
    capacity: { ...capacity, naive: naiveCapacity },
  } satisfies EndToEndResults;
}

/** A pipeline with 2 workers at rising steady rates, until p99 reaches 1 s or answers fall behind. */
async function searchCapacity(
  pipeline: Pipeline,
  line: LineSide,
  redisUrl: string,
  redisPid: number,
  flags: Flags,
): Promise<Capacity> {
  const workers = 2;
  const steps: SteadyResult[] = [];
  let highestRate = 0;
  const running = await start(pipeline, line, redisUrl, workers);
  try {
    // This process is the LINE side: the emulator and the load generator. Its CPU is counted too,
    // since on one machine it takes its share of the cores the pipeline needs.
    const pids = { ...running.pids(redisPid), [HARNESS]: process.pid };
    await steady(line, CAPACITY_RATES[0] as number, 1, pids); // warm-up
    await settle(line);
    for (const rate of flags.quick ? CAPACITY_RATES.slice(0, 2) : CAPACITY_RATES) {
      const step = await steady(line, rate, flags.quick ? 2 : 8, pids);
      steps.push(step);
      const holds = step.keptUp && step.p99 < CAPACITY_P99_MS;
      log(
        `capacity (${pipeline}): ${rate}/s with ${workers} workers: p99 ${step.p99.toFixed(0)} ms, answered ${step.answered}/${step.events} at ${step.answerRate.toFixed(0)}/s${holds ? "" : " — over the limit"}`,
      );
      await settle(line);
      if (!holds) break;
      highestRate = rate;
    }
  } finally {
    await running.stop();
    await settle(line);
  }
  return { workers, steps, highestRate };
}
