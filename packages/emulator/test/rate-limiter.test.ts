import { describe, expect, it } from "vitest";
import { EndpointRateLimits } from "../src/core/rate-limiter.ts";

describe("the emulator's per-endpoint token buckets", () => {
  it("lets an hour's 60 broadcasts through at once, refuses the 61st, and refills one a minute", () => {
    const limits = new EndpointRateLimits();
    const rate = { limit: 60, perMs: 3_600_000 };
    const t0 = 1_000_000;
    const taken = Array.from({ length: 61 }, () => limits.take("POST broadcast", rate, t0));
    expect(taken.filter(Boolean)).toHaveLength(60);
    expect(taken[60]).toBe(false);
    expect(limits.take("POST broadcast", rate, t0 + 59_000)).toBe(false);
    expect(limits.take("POST broadcast", rate, t0 + 60_000)).toBe(true);
    expect(limits.take("POST broadcast", rate, t0 + 60_000)).toBe(false);
  });

  it("takes a number as requests per second, each endpoint its own bucket", () => {
    const limits = new EndpointRateLimits();
    const t0 = 5_000;
    const multicast = Array.from({ length: 201 }, () => limits.take("POST multicast", 200, t0));
    expect(multicast.filter(Boolean)).toHaveLength(200);
    expect(limits.take("POST push", 200, t0)).toBe(true);
    expect(limits.take("POST multicast", 200, t0 + 5)).toBe(true);
  });
});
