import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createRegistry, registerQueueGauges, serveMetrics } from "../src/index.ts";

describe("the worker's metrics server", () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  async function start(checkReady: () => Promise<void>, readDepthFails = false) {
    const registry = createRegistry();
    registerQueueGauges(registry, {
      readDepth: async () => {
        if (readDepthFails) throw new Error("Connection is closed.");
        return {
          jobs: { waiting: 3, active: 1, delayed: 0, prioritized: 0, failed: 2 },
          oldestWaitingSince: 1_000,
        };
      },
      now: () => 31_000,
    });
    const notReady: unknown[] = [];
    const server = await serveMetrics({
      registry,
      port: 0,
      host: "127.0.0.1",
      checkReady,
      readyTimeoutMs: 200,
      onNotReady: (error) => notReady.push(error),
    });
    closers.push(() => server.close());
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { base, notReady };
  }

  it("serves the queue gauges read at scrape time, and the process metrics", async () => {
    const { base } = await start(async () => {});
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^linefleet_queue_jobs\{state="waiting"\} 3$/m);
    expect(text).toMatch(/^linefleet_queue_jobs\{state="failed"\} 2$/m);
    expect(text).toMatch(/^linefleet_queue_oldest_waiting_seconds 30$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it("keeps serving the other metrics when the queue cannot be read", async () => {
    const { base } = await start(async () => {}, true);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toMatch(/^linefleet_queue_jobs\{/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it("answers /readyz 503 when the check fails or hangs, /healthz 200 regardless", async () => {
    const failing = await start(async () => {
      throw new Error("ECONNREFUSED");
    });
    const hanging = await start(() => new Promise(() => {}));
    for (const { base, notReady } of [failing, hanging]) {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ok: false, error: "redis_unavailable" });
      expect(notReady).toHaveLength(1);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    }
  });
});
