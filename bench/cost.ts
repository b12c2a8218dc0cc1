/**
 * Scenario 4a, cost: CPU time per event end to end (ingress + Redis + one worker), from the
 * kernel's accounting of each process (utime + stime in /proc/<pid>/stat), at a fixed rate, over
 * the window from the first webhook to the last answer. The emulator (LINE) is not counted.
 */
import {
  type Flags,
  log,
  pidOf,
  type SteadyResult,
  settle,
  startLineSide,
  startStackOn,
  steady,
} from "./lib.ts";

export const COST_RATE = 1_000;

export interface CostResults extends SteadyResult {
  /** CPU µs per event, per process and in total. */
  usPerEvent: Record<string, number>;
  totalUsPerEvent: number;
}

export async function runCost(redisUrl: string, redisPid: number, flags: Flags) {
  const line = await startLineSide(1_000);
  const stack = await startStackOn(line, { redisUrl, prefix: "bench-cost", workers: 1 });
  try {
    const pids = {
      ingress: pidOf(stack.ingress),
      worker: pidOf(stack.workers[0] as (typeof stack.workers)[number]),
      redis: redisPid,
    };
    await steady(line, COST_RATE, flags.quick ? 1 : 3, pids); // warm-up
    await settle(line);
    const result = await steady(line, COST_RATE, flags.quick ? 3 : 15, pids);
    const usPerEvent = Object.fromEntries(
      Object.entries(result.cpuMs).map(([name, ms]) => [name, (ms * 1000) / result.answered]),
    );
    const totalUsPerEvent = Object.values(usPerEvent).reduce((a, b) => a + b, 0);
    log(
      `cost: ${totalUsPerEvent.toFixed(0)} µs CPU/event at ${COST_RATE}/s (${Object.entries(
        usPerEvent,
      )
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(", ")}), p99 ${result.p99.toFixed(1)} ms`,
    );
    return { ...result, usPerEvent, totalUsPerEvent } satisfies CostResults;
  } finally {
    await stack.stop();
    await line.close();
  }
}
