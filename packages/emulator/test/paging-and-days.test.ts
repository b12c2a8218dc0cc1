import { describe, expect, it } from "vitest";
import { continuationPage } from "../src/api/paging.ts";
import { isDay, jstDay, jstMonthStart } from "../src/core/jst-date.ts";
import { LineErrorResponse } from "../src/errors.ts";

describe("continuation paging", () => {
  const items = ["a", "b", "c", "d", "e"];
  const limits = { default: 2, max: 3 };

  it("walks every item once with next, and gives no next on the last page", () => {
    const seen: string[] = [];
    let query = new URLSearchParams();
    for (;;) {
      const page = continuationPage(items, query, limits);
      seen.push(...page.items);
      if (!page.next) break;
      query = new URLSearchParams({ start: page.next });
    }
    expect(seen).toEqual(items);
    expect(continuationPage(items, new URLSearchParams({ limit: "3" }), limits).items).toEqual([
      "a",
      "b",
      "c",
    ]);
  });

  it("refuses a limit out of range and a token it did not give", () => {
    const bad: Array<Record<string, string>> = [
      { limit: "0" },
      { limit: "4" },
      { limit: "x" },
      { start: "bm9wZQ" },
    ];
    for (const query of bad) {
      expect(() => continuationPage(items, new URLSearchParams(query), limits)).toThrow(
        LineErrorResponse,
      );
    }
  });
});

describe("days in UTC+9", () => {
  it("counts a day from 15:00 UTC of the day before", () => {
    expect(jstDay(Date.UTC(2026, 2, 10, 14, 59))).toBe("20260310");
    expect(jstDay(Date.UTC(2026, 2, 10, 15, 0))).toBe("20260311");
    expect(jstMonthStart(Date.UTC(2026, 2, 31, 15, 0))).toBe("20260401");
  });

  it("takes only real calendar days written yyyyMMdd", () => {
    expect(isDay("20240229")).toBe(true);
    expect(isDay("20230229")).toBe(false);
    expect(isDay("2024-02-01")).toBe(false);
    expect(isDay("20241301")).toBe(false);
  });
});
