import type { RecurringSchedule } from "@linefleet/bot";
// The cron parser BullMQ's job schedulers use, so the test clock ticks where production would.
import { CronExpressionParser } from "cron-parser";

/** A clock moved past more ticks than this is a mistake in the test: advance in smaller steps. */
const MAX_TICKS = 1_000;

/**
 * The ticks of a recurring schedule in (`from`, `to`]: `cron` on the pattern (in `tz`, else UTC),
 * where BullMQ's job schedulers place them; `everyMs` on multiples of the period, so a test knows
 * where they fall (in production the first tick comes when the scheduler is made, and each next one
 * a period after the one before).
 */
export function ticksBetween(schedule: RecurringSchedule, from: number, to: number): number[] {
  const ticks: number[] = [];
  const add = (at: number) => {
    ticks.push(at);
    if (ticks.length > MAX_TICKS) {
      throw new RangeError(`the clock passed more than ${MAX_TICKS} ticks at once`);
    }
  };
  if ("everyMs" in schedule) {
    for (let at = (Math.floor(from / schedule.everyMs) + 1) * schedule.everyMs; at <= to; ) {
      add(at);
      at += schedule.everyMs;
    }
    return ticks;
  }
  const cron = CronExpressionParser.parse(schedule.cron, {
    currentDate: new Date(from),
    ...(schedule.tz ? { tz: schedule.tz } : {}),
  });
  for (let at = cron.next().getTime(); at <= to; at = cron.next().getTime()) add(at);
  return ticks;
}
