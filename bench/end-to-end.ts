/**
 * Scenario 2, end to end: webhook sent by the LINE emulator → ingress → Redis → worker (echo bot)
 * → reply arriving at the emulator, at a steady rate, with 1 and then 2 worker processes.
 */
import {
  type Flags,
  log,
  type SteadyResult,
  settle,
  stackPids,
  startLineSide,
  startStackOn,
  steady,
} from "./lib.ts";

export const E2E_RATE = 500;

export interface EndToEndResults {
  rate: number;
  phases: Array<{ workers: number } & SteadyResult>;
}

export async function runEndToEnd(redisUrl: string, redisPid: number, flags: Flags) {
  const durationS = flags.quick ? 3 : 15;
  const line = await startLineSide(100);
  const phases: EndToEndResults["phases"] = [];
  try {
    for (const workers of [1, 2]) {
      const stack = await startStackOn(line, { redisUrl, prefix: `bench-e2e-${workers}`, workers });
      try {
        const pids = stackPids(stack, redisPid);
        await steady(line, E2E_RATE, flags.quick ? 1 : 3, pids); // warm-up
        await settle(line);
        const result = await steady(line, E2E_RATE, durationS, pids);
        log(
          `e2e: ${workers} worker(s) at ${E2E_RATE}/s: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, answered ${result.answered}/${result.events}`,
        );
        phases.push({ workers, ...result });
      } finally {
        await stack.stop();
      }
    }
  } finally {
    await line.close();
  }
  return { rate: E2E_RATE, phases } satisfies EndToEndResults;
}
