import { createHash } from "node:crypto";
import type { ScheduledEvent, ScheduledWork } from "@linefleet/bot";
import type { Message } from "@linefleet/line-client";
import { eventKeyOf, jobIdFor, type LineEventJob } from "@linefleet/store";
import type { EventSource } from "@linefleet/webhook";

/**
 * A scheduled item travels as an event job of its chat's shard queue, delayed until it is due:
 * the same payload as LINE's events (channel, destination, event), the event being linefleet's
 * own `scheduled` event (no reply token). So the worker, the lanes, the ledger, the dead letters
 * and the dashboard take it as they take any event.
 */

/** The BullMQ job name of scheduled items (events carry their LINE type). */
export const SCHEDULED_JOB_NAME = "scheduled";

/** What a `pushLater` keeps in its event's `scheduled.data`. */
interface PushData {
  messages: Message[];
}

/**
 * The id of the `position`-th item a run schedules, from the run's own key (its event's, or its
 * item's): a retried run makes the same ids, so it schedules nothing twice. 128 bits, base64url.
 */
export function scheduledItemId(runKey: string, position: number): string {
  return createHash("sha256").update(`${runKey}#${position}`).digest("base64url").slice(0, 22);
}

/** The item's key in Redis (its lane entry, ledger, state, retry keys): as an event's key. */
export const scheduledItemKey = (channel: string, id: string) =>
  eventKeyOf(channel, `scheduled-${id}`);

/** The job id of an item. */
export const scheduledJobIdOf = (channel: string, id: string) =>
  jobIdFor(scheduledItemKey(channel, id));

export interface ScheduledItemInput {
  id: string;
  /** Its place among the items its run scheduled (0, 1, …). */
  position: number;
  channel: string;
  destination: string;
  source: EventSource;
  dueAt: number;
  scheduledAt: number;
  work: ScheduledWork;
}

/** The job of an item: its id (from its key) and payload. */
export function scheduledJobOf(input: ScheduledItemInput): { jobId: string; data: LineEventJob } {
  const { work } = input;
  const event: ScheduledEvent = {
    type: "scheduled",
    mode: "active",
    timestamp: input.dueAt,
    source: input.source,
    webhookEventId: `scheduled-${input.id}`,
    deliveryContext: { isRedelivery: false },
    scheduled: {
      id: input.id,
      name: work.kind === "handler" ? work.name : "",
      scheduledAt: input.scheduledAt,
      position: input.position,
      data: work.kind === "handler" ? work.data : ({ messages: work.messages } satisfies PushData),
    },
  };
  return {
    jobId: scheduledJobIdOf(input.channel, input.id),
    data: {
      channel: input.channel,
      destination: input.destination,
      event: event as unknown as LineEventJob["event"],
      receivedAt: input.scheduledAt,
    },
  };
}

/** The scheduled event of a job, when it is one. */
export function scheduledEventOf(job: LineEventJob): ScheduledEvent | undefined {
  const event = job.event as unknown as Partial<ScheduledEvent>;
  if (event.type !== "scheduled" || typeof event.scheduled !== "object" || !event.scheduled) {
    return undefined;
  }
  return event as ScheduledEvent;
}

/**
 * Where an item enters its chat's lane: its due time, as an event's timestamp, plus a thousandth
 * of a ms per place among its run's items, so two items one handler scheduled for the same moment
 * keep their call order (a double still tells thousandths apart at today's epoch ms).
 */
export function laneScoreOf(event: ScheduledEvent): number {
  return event.timestamp + Math.min(event.scheduled.position, 999) / 1000;
}

/** The messages of a `pushLater` item; undefined for a handler's item. */
export function pushedMessagesOf(event: ScheduledEvent): Message[] | undefined {
  if (event.scheduled.name !== "") return undefined;
  const data = event.scheduled.data as Partial<PushData> | null;
  return Array.isArray(data?.messages) ? data.messages : [];
}
