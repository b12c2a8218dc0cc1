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
}

export const noWorkerObserver: WorkerObserver = {
  eventProcessed() {},
  laneWait() {},
  sends: () => noSendObserver,
};
