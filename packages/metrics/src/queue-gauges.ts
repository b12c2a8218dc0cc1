import { withTimeout } from "@linefleet/errors";
import type { QueueDepth } from "@linefleet/store";
import { Gauge, type Registry } from "prom-client";

export interface QueueGaugeOptions {
  /** Reads the queue in one round trip; called once per scrape, never on the hot path. */
  readDepth(): Promise<QueueDepth>;
  /** A read slower than this is given up: the scrape goes on without the queue gauges. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Gauges of the events queue, read from Redis when Prometheus scrapes. Every worker reports the
 * same queue: aggregate them with max(), not sum().
 */
export function registerQueueGauges(registry: Registry, options: QueueGaugeOptions): void {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 1_000;
  // Both gauges come from one read: the first collect of a scrape starts it, the second reuses it.
  let pending: Promise<QueueDepth | undefined> | undefined;
  function read(): Promise<QueueDepth | undefined> {
    if (!pending) {
      // A failed or slow read reports nothing (undefined) rather than failing the scrape.
      pending = withTimeout(options.readDepth(), timeoutMs, "queue depth read")
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
    name: "linefleet_queue_jobs",
    help: "Jobs in the events queue by state (failed: the dead letters).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const depth = await read();
      // Redis unreachable: report no value rather than a stale one, and keep the scrape working.
      this.reset();
      if (!depth) return;
      for (const [state, count] of Object.entries(depth.jobs)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: "linefleet_queue_oldest_waiting_seconds",
    help: "How long the oldest job in the wait list has been queued; 0 when none waits.",
    registers: [registry],
    async collect() {
      const depth = await read();
      this.reset();
      if (!depth) return;
      const since = depth.oldestWaitingSince;
      this.set(since === undefined ? 0 : Math.max(0, now() - since) / 1000);
    },
  });
}
