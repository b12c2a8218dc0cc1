import { describe, expect, it } from "vitest";
import { CampaignError } from "../src/errors.ts";
import { parseAt } from "../src/schedule-at.ts";

const now = Date.parse("2026-12-07T12:00:00Z");

describe("--at", () => {
  it("takes an ISO 8601 time with its offset", () => {
    expect(parseAt("2026-12-24T09:00:00+09:00", now)).toBe(Date.parse("2026-12-24T00:00:00Z"));
    expect(parseAt("2026-12-24T00:00:00Z", now)).toBe(Date.parse("2026-12-24T00:00:00Z"));
  });

  it("takes a time from now", () => {
    expect(parseAt("+90s", now)).toBe(now + 90_000);
    expect(parseAt("+1h", now)).toBe(now + 3_600_000);
    expect(parseAt("+2d", now)).toBe(now + 2 * 86_400_000);
  });

  it("refuses a time without an offset, and nonsense, naming the flag", () => {
    for (const text of ["2026-12-24T09:00:00", "tomorrow", "+5 minutes", "2026-13-45T00:00:00Z"]) {
      expect(() => parseAt(text, now)).toThrow(CampaignError);
      expect(() => parseAt(text, now)).toThrow(/^--at /);
    }
  });
});
