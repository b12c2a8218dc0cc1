import { describe, expect, it } from "vitest";
import { Faults } from "../src/core/faults.ts";
import { EndpointRateLimits } from "../src/core/rate-limiter.ts";
import { RetryKeys } from "../src/core/retry-keys.ts";

describe("EndpointRateLimits", () => {
  it("allows a second's worth at once, then refills over time", () => {
    const limiter = new EndpointRateLimits();
    const takes = Array.from({ length: 4 }, () => limiter.take("push", 3, 0));
    expect(takes).toEqual([true, true, true, false]);
    expect(limiter.take("push", 3, 200)).toBe(false);
    expect(limiter.take("push", 3, 400)).toBe(true);
    expect(limiter.take("reply", 3, 400)).toBe(true);
  });
});

describe("RetryKeys", () => {
  it("remembers an accepted key for 24 hours, case-insensitively", () => {
    const keys = new RetryKeys(24 * 3_600_000);
    keys.accept("ABCDEF00-0000-4000-8000-000000000000", { requestId: "r1", acceptedAt: 0 });
    expect(keys.find("abcdef00-0000-4000-8000-000000000000", 24 * 3_600_000)?.requestId).toBe("r1");
    expect(keys.find("abcdef00-0000-4000-8000-000000000000", 24 * 3_600_000 + 1)).toBeUndefined();
  });
});

describe("Faults", () => {
  it("matches by method and path or route, and runs out after `times`", () => {
    const faults = new Faults();
    faults.add({ match: { method: "post", path: "/v2/bot/message/push" }, status: 500, times: 2 });
    faults.add({ match: { path: "/v2/bot/profile/{userId}" }, status: 404 });
    expect(faults.take("GET", "/v2/bot/message/push", undefined)).toBeUndefined();
    expect(faults.take("POST", "/v2/bot/message/push", undefined)?.status).toBe(500);
    expect(faults.take("POST", "/v2/bot/message/push", undefined)?.status).toBe(500);
    expect(faults.take("POST", "/v2/bot/message/push", undefined)).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      expect(faults.take("GET", "/v2/bot/profile/U1", "/v2/bot/profile/{userId}")?.status).toBe(
        404,
      );
    }
  });
});
