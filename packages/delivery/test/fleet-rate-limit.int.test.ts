import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createFleetRateLimit } from "../src/fleet-rate-limit.ts";

describe("createFleetRateLimit", () => {
  const clients: Redis[] = [];
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });

  async function timeToAcquire(
    count: number,
    options: { perSecond: number; lease?: number },
    processes = 2,
  ) {
    const key = `t-${randomUUID()}:rate`;
    // Several limiters on several connections stand for several worker processes.
    const limiters = Array.from({ length: processes }, () => {
      const redis = new Redis(inject("redisUrl"));
      clients.push(redis);
      return createFleetRateLimit(redis, key, { ...options, burst: 1 });
    });
    const started = Date.now();
    await Promise.all(Array.from({ length: count }, (_, i) => limiters[i % processes]?.acquire()));
    return Date.now() - started;
  }

  it("paces the permits of every process together", async () => {
    // 30 permits at 50/s, shared by two processes, cannot all be had in less than ~29 intervals.
    expect(await timeToAcquire(30, { perSecond: 50 })).toBeGreaterThanOrEqual(29 * 20 - 5);
  });

  it("keeps the pace when processes lease several permits per call", async () => {
    // Leases of 5 permits: 60 permits at 200/s still need at least (60 - 2 leases) × 5 ms.
    expect(await timeToAcquire(60, { perSecond: 200, lease: 5 })).toBeGreaterThanOrEqual(
      50 * 5 - 5,
    );
  });
});
