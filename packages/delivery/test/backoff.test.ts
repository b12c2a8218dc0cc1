import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../src/backoff.ts";

describe("retryDelayMs", () => {
  it("waits what the error asked for", () => {
    expect(retryDelayMs(1, { retryAfterMs: 3_000 })).toBe(3_000);
    expect(retryDelayMs(5, { retryAfterMs: 0 })).toBe(0);
  });

  it("backs off exponentially, jittered between half and all of the ceiling", () => {
    for (const [attempt, ceiling] of [
      [1, 500],
      [2, 1_000],
      [3, 2_000],
      [10, 60_000],
    ] as const) {
      expect(retryDelayMs(attempt, new Error("x"), { random: () => 0 })).toBe(ceiling / 2);
      expect(retryDelayMs(attempt, new Error("x"), { random: () => 1 })).toBe(ceiling);
    }
  });
});
