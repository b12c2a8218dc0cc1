import type { ConversationObserver } from "@linefleet/bot";
import type { EventOutcome } from "./event-outcome.ts";
import { noSendObserver, type SendObserver } from "./send-observer.ts";

/**
 * What the worker reports as it handles events, for metrics. Every hook is synchronous and local:
 * counting must never cost a round trip. The default observer does nothing.
 */
export interface WorkerObserver {
  eventProcessed(channel: string, type: string, outcome: EventOutcome): void;
  /** An event stepped aside because an earlier event of its chat was still pending. */
  laneWait(): void;
  /** The observer for one channel's sends. */
  sends(channel: string): SendObserver;
  /** A scheduled item was scheduled, cancelled, ran to its end (sent) or failed for good. */
  scheduled(channel: string, outcome: ScheduledOutcome): void;
  /** How long after its due time a scheduled item started (its first attempt). */
  scheduledLateness(channel: string, ms: number): void;
  /** A recurring job's tick ran (ok) or failed (retry, or failed for good). */
  recurringRun(job: string, outcome: EventOutcome): void;
  /** A conversation ended, in an event that succeeded: how (see `ConversationObserver`). */
  conversationEnded: ConversationObserver["ended"];
}

export type ScheduledOutcome = "scheduled" | "cancelled" | "sent" | "failed";

export const noWorkerObserver: WorkerObserver = {
  eventProcessed() {},
  laneWait() {},
  sends: () => noSendObserver,
  scheduled() {},
  scheduledLateness() {},
  recurringRun() {},
  conversationEnded() {},
};
