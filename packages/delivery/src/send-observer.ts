import type { SendVia } from "@linefleet/bot";

/** How a send ended, as counted: a skip of something sent before counts as already delivered. */
type SendCount = "delivered" | "already_delivered" | "unknown" | "failed";

/** Why an answer meant as a reply went by push. */
type PushFallbackReason = "token_too_old" | "token_rejected";

/**
 * What the responder reports as it sends, for metrics. Every hook is synchronous and local: counting
 * must never cost a round trip. The default observer does nothing.
 */
export interface SendObserver {
  sent(method: SendVia, outcome: SendCount): void;
  pushFallback(reason: PushFallbackReason): void;
  /** The reply token's age (from the event's timestamp) when a reply is sent with it. */
  replyTokenAge(ms: number): void;
  /** From the event's timestamp to an answer LINE accepted. */
  answered(latencyMs: number): void;
  /** A LINE call that failed: its HTTP status, or the error code when there was none (`timeout`). */
  lineApiError(status: string): void;
}

export const noSendObserver: SendObserver = {
  sent() {},
  pushFallback() {},
  replyTokenAge() {},
  answered() {},
  lineApiError() {},
};
