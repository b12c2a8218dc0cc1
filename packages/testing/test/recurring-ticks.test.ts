import { describe, expect, it } from "vitest";
import { ticksBetween } from "../src/recurring-ticks.ts";

const at = (iso: string) => Date.parse(iso);

describe("the ticks the test clock runs", () => {
  it("puts everyMs ticks on multiples of the period, after `from`, up to `to`", () => {
    expect(
      ticksBetween({ everyMs: 60_000 }, at("2026-12-24T09:00:30Z"), at("2026-12-24T09:03:00Z")),
    ).toEqual([at("2026-12-24T09:01:00Z"), at("2026-12-24T09:02:00Z"), at("2026-12-24T09:03:00Z")]);
    expect(
      ticksBetween({ everyMs: 60_000 }, at("2026-12-24T09:01:00Z"), at("2026-12-24T09:01:59Z")),
    ).toEqual([]);
  });

  it("follows a cron pattern in its time zone (UTC by default)", () => {
    const day = [at("2026-12-24T00:00:00Z"), at("2026-12-25T00:00:00Z")] as const;
    expect(ticksBetween({ cron: "0 9 * * *" }, ...day)).toEqual([at("2026-12-24T09:00:00Z")]);
    // 9 o'clock in Tokyo is midnight UTC: the day's own midnight is not after `from`.
    expect(ticksBetween({ cron: "0 9 * * *", tz: "Asia/Tokyo" }, ...day)).toEqual([day[1]]);
    expect(ticksBetween({ cron: "*/20 * * * * *" }, day[0], day[0] + 60_000)).toHaveLength(3);
  });

  it("refuses a clock moved past too many ticks at once", () => {
    expect(() => ticksBetween({ everyMs: 1_000 }, 0, 86_400_000)).toThrow(
      /smaller steps|more than/,
    );
  });
});
