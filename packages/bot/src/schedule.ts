import type { Message } from "@linefleet/line-client";
import type { EventSource } from "@linefleet/webhook";

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

/** `when` as an epoch-ms due time, checked. */
export function dueTimeOf(when: When, now: number): number {
  const at = when instanceof Date ? when.getTime() : now + when;
  if (!Number.isFinite(at)) throw new RangeError(`not a time to schedule at: ${String(when)}`);
  return Math.max(Math.round(at), now);
}
