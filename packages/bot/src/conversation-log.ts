import type { WebhookEvent } from "@linefleet/webhook";

/** One recorded step of a conversation: an answer it took, or a result `conv.external` got. */
type ReplayStep = { event: WebhookEvent } | { value?: unknown };

/**
 * A conversation in progress, as the chat's session stores it (JSON): enough to run its function
 * again from the start and reach the wait it stopped at.
 */
export interface ConversationLog {
  name: string;
  args?: unknown;
  /** The event that entered it (`ctx` of the function). */
  entered: WebhookEvent;
  /** What it took and recorded so far, in order. */
  steps: ReplayStep[];
  /** How many times it has waited: names the wait a timeout is for (a stale one does nothing). */
  waits: number;
  /** When its pending wait times out (epoch ms), if it has a timeout. */
  timeoutAt?: number;
}

/** Reads a stored log; undefined (the conversation is dropped) when it is not one. */
export function parseConversationLog(json: string | undefined): ConversationLog | undefined {
  if (json === undefined) return undefined;
  try {
    const log = JSON.parse(json) as Partial<ConversationLog> | null;
    if (
      typeof log?.name === "string" &&
      typeof log.entered === "object" &&
      Array.isArray(log.steps) &&
      typeof log.waits === "number"
    ) {
      return log as ConversationLog;
    }
  } catch {
    // A damaged log is dropped below, as one of an unknown shape.
  }
  return undefined;
}

/** The JSON copy of a value, as a replay will see it (undefined stays undefined). */
export function asRecorded<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
