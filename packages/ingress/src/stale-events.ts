import type { Logger } from "@linefleet/log";
import type { WebhookEvent } from "@linefleet/webhook";

/**
 * Counts and logs the events of a request dropped as older than MAX_EVENT_AGE_MS: one line per
 * request (a replayed capture may carry many), ids and ages only, never message text or tokens.
 */
export function reportStaleEvents(
  channel: string,
  {
    metrics,
    logger,
  }: {
    /** The ingress metrics' counter of dropped events. */
    metrics: { eventsDropped(channel: string, reason: "too_old", count: number): void };
    logger: Logger;
  },
) {
  return (events: readonly WebhookEvent[], receivedAt: number) => {
    metrics.eventsDropped(channel, "too_old", events.length);
    logger.warn(
      {
        channel,
        reason: "too_old",
        dropped: events.length,
        webhookEventIds: events.slice(0, 10).map((event) => event.webhookEventId),
        oldestAgeMs: Math.max(...events.map((event) => receivedAt - event.timestamp)),
      },
      "events older than MAX_EVENT_AGE_MS acknowledged and dropped",
    );
  };
}
