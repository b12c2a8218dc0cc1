import type { LineClient, Message } from "@linefleet/line-client";
import type { EventSource } from "@linefleet/webhook";
import type { Channel } from "./channel.ts";
import type { BotLogger, Say } from "./context.ts";
import type { SendReport } from "./responder.ts";
import type { BotServices } from "./services.ts";

/** When scheduled work is due: milliseconds from now, or a moment. */
export type When = number | Date;

/** What one scheduled item does when it is due: push messages, or run a named handler. */
export type ScheduledWork =
  | { kind: "push"; messages: Message[] }
  | { kind: "handler"; name: string; data: unknown };

/** What `ctx.cancelLater(id)` came to. */
export type CancelReport =
  /** It will not happen (or an earlier call of this event had cancelled it already). */
  | { status: "cancelled" }
  /** It is running or ran already: too late to cancel. */
  | { status: "too_late" }
  /** No item of this chat has that id (or it ended so long ago it was forgotten). */
  | { status: "unknown" };

/**
 * Where a context's scheduled work goes: the runtime that runs the bot gives one per run, bound
 * to the run's chat, and makes it durable (see @linefleet/delivery). Ids are derived from the run
 * and the call's position in it, so a retried run schedules nothing twice.
 */
export interface Scheduler {
  /** Schedules `work` in the run's chat at `dueAt` (epoch ms). */
  schedule(dueAt: number, work: ScheduledWork): Promise<{ id: string }>;
  /** Cancels an item of the run's chat unless it started already. */
  cancel(id: string): Promise<CancelReport>;
}

/**
 * The event a scheduled handler sees as `ctx.event`: not LINE's, linefleet's own, in the chat
 * that scheduled it. It has no reply token, so `ctx.reply` pushes.
 */
export interface ScheduledEvent {
  readonly type: "scheduled";
  readonly mode: "active";
  /** When the item was due (epoch ms). */
  readonly timestamp: number;
  readonly source: EventSource;
  /** The item's key, standing in for a webhook event id in logs, ledgers and retry keys. */
  readonly webhookEventId: string;
  readonly deliveryContext: { readonly isRedelivery: false };
  readonly scheduled: {
    /** What `ctx.schedule` / `ctx.pushLater` returned. */
    readonly id: string;
    /** The handler's name (`onSchedule(name, …)`); `""` for a `pushLater`. */
    readonly name: string;
    /** When it was scheduled (epoch ms). */
    readonly scheduledAt: number;
    /** Its place among the items the run that scheduled it scheduled (0, 1, …). */
    readonly position: number;
    readonly data: unknown;
  };
}

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

/** `when` as an epoch-ms due time, checked. */
export function dueTimeOf(when: When, now: number): number {
  const at = when instanceof Date ? when.getTime() : now + when;
  if (!Number.isFinite(at)) throw new RangeError(`not a time to schedule at: ${String(when)}`);
  return Math.max(Math.round(at), now);
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
