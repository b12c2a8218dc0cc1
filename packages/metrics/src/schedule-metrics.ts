import type { WorkerObserver } from "@linefleet/delivery";
import { withTimeout } from "@linefleet/errors";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** How late a scheduled item may start and still count as on time. */
const LATE_AFTER_MS = 1_000;

type ScheduleObserver = Pick<WorkerObserver, "scheduled" | "scheduledLateness" | "recurringRun">;

/**
 * The worker's metrics of scheduled work (`ctx.pushLater`, `ctx.schedule`) and recurring jobs
 * (`bot.every`). The pending and overdue gauges are read from Redis at scrape time
 * (`registerScheduleGauges`).
 */
export function createScheduleMetrics(registry: Registry): ScheduleObserver {
  const registers = [registry];
  const items = new Counter({
    name: "linefleet_scheduled_total",
    help: "Scheduled items by outcome: scheduled, cancelled, sent (ran to its end), failed (for good).",
    labelNames: ["channel", "outcome"] as const,
    registers,
  });
  const lateness = new Histogram({
    name: "linefleet_scheduled_lateness_seconds",
    help: "From a scheduled item's due time to the start of its first attempt.",
    labelNames: ["channel"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers,
  });
  const late = new Counter({
    name: "linefleet_scheduled_late_total",
    help: "Scheduled items whose first attempt started more than 1 s after their due time.",
    labelNames: ["channel"] as const,
    registers,
  });
  const runs = new Counter({
    name: "linefleet_recurring_runs_total",
    help: "Ticks of recurring jobs that ran to their end.",
    labelNames: ["job"] as const,
    registers,
  });
  const failures = new Counter({
    name: "linefleet_recurring_failures_total",
    help: "Failed tries of recurring jobs' ticks: retry (will be tried again) or dead_letter.",
    labelNames: ["job", "outcome"] as const,
    registers,
  });
  return {
    scheduled: (channel, outcome) => items.inc({ channel, outcome }),
    scheduledLateness(channel, ms) {
      lateness.observe({ channel }, Math.max(0, ms) / 1000);
      if (ms > LATE_AFTER_MS) late.inc({ channel });
    },
    recurringRun(job, outcome) {
      if (outcome === "ok") runs.inc({ job });
      else failures.inc({ job, outcome });
    },
  };
}

export interface ScheduleGaugeOptions {
  /**
   * Reads how many scheduled items wait, and how many of them are more than `lateMs` past due
   * (fleet-wide, every shard); called once per scrape, never on the hot path.
   */
  readPending(lateMs: number): Promise<{ pending: number; overdue: number }>;
  /** A read slower than this is given up: the scrape goes on without these gauges. */
  timeoutMs?: number;
}

/**
 * Gauges of the scheduled items still to run, read from Redis when Prometheus scrapes. Every
 * worker reports the same items: aggregate with max(), not sum().
 */
export function registerScheduleGauges(registry: Registry, options: ScheduleGaugeOptions): void {
  const timeoutMs = options.timeoutMs ?? 1_000;
  let pending: Promise<{ pending: number; overdue: number } | undefined> | undefined;
  function read() {
    if (!pending) {
      pending = withTimeout(options.readPending(LATE_AFTER_MS), timeoutMs, "scheduled items read")
        .catch(() => undefined)
        .finally(() => {
          setImmediate(() => {
            pending = undefined;
          });
        });
    }
    return pending;
  }
  new Gauge({
    name: "linefleet_scheduled_pending",
    help: "Scheduled items not yet started (pushLater, schedule), fleet-wide.",
    registers: [registry],
    async collect() {
      const counts = await read();
      this.reset();
      if (counts) this.set(counts.pending);
    },
  });
  new Gauge({
    name: "linefleet_scheduled_overdue",
    help: "Scheduled items not yet started more than 1 s after their due time (workers down or busy).",
    registers: [registry],
    async collect() {
      const counts = await read();
      this.reset();
      if (counts) this.set(counts.overdue);
    },
  });
}
