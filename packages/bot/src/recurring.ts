import type { LineClient } from "@linefleet/line-client";
import type { Channel } from "./channel.ts";
import type { BotLogger, Say } from "./context.ts";
import type { SendReport } from "./responder.ts";
import type { BotServices } from "./services.ts";

/** How often a recurring job runs: a cron pattern (with seconds, optional), or a fixed period. */
export type RecurringSchedule = { cron: string; tz?: string } | { everyMs: number };

/** What a recurring job's handler gets: no chat, no session; push names its recipient. */
export interface RecurringContext extends BotServices {
  /** The job's name (`bot.every(name, …)`). */
  readonly name: string;
  /** The tick being run: when it was due (epoch ms), and its id (the same on every try). */
  readonly tick: { readonly at: number; readonly id: string };
  /** Which try at this tick this is, from 1. */
  readonly attempt: number;
  /** The channel the job speaks for (`bot.every(…, { channel })`, else the first one). */
  readonly channel: Channel;
  readonly line: LineClient;
  readonly log: BotLogger;
  /**
   * Pushes to a user, group or room, 5 messages per batch. Each batch carries a retry key derived
   * from the tick and its position, so a retried tick shows nothing twice.
   */
  push(to: string, ...messages: Say[]): Promise<SendReport[]>;
}

export type RecurringHandler = (context: RecurringContext) => unknown;

/** A recurring job as declared with `bot.every`, read by the runtime that runs the ticks. */
export interface RecurringJob {
  readonly name: string;
  readonly schedule: RecurringSchedule;
  /** The channel whose client and token the job uses; the runtime's first channel when absent. */
  readonly channel: string | undefined;
  readonly handler: RecurringHandler;
}

/** Whether a recurring schedule is one linefleet can run. */
export function checkRecurringSchedule(name: string, schedule: RecurringSchedule): void {
  if (!/^[\w.-]{1,100}$/.test(name)) {
    throw new TypeError(
      `a recurring job's name is 1 to 100 letters, digits, "_", "-" or ".": got ${JSON.stringify(name)}`,
    );
  }
  if ("everyMs" in schedule) {
    if (!Number.isInteger(schedule.everyMs) || schedule.everyMs < 1_000) {
      throw new RangeError(`recurring job ${name}: everyMs is a whole number of ms, at least 1000`);
    }
  } else if (typeof schedule.cron !== "string" || schedule.cron.trim() === "") {
    throw new TypeError(`recurring job ${name}: give { cron } or { everyMs }`);
  }
}
