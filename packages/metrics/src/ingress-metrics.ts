import { Counter, Histogram, type Registry } from "prom-client";

export type WebhookOutcomeLabel =
  | "accepted"
  | "invalid_signature"
  | "invalid_body"
  | "wrong_destination"
  | "too_large"
  | "unavailable";

/** The outcome of a webhook request, from the status the ingress answered it with. */
export function webhookOutcomeOf(status: number): WebhookOutcomeLabel {
  if (status < 300) return "accepted";
  if (status === 401) return "invalid_signature";
  if (status === 403) return "wrong_destination";
  if (status === 413) return "too_large";
  if (status >= 500) return "unavailable";
  return "invalid_body";
}

export interface IngressMetrics {
  /** A webhook request was answered with `status`, `seconds` after it arrived. */
  webhookAnswered(channel: string, status: number, seconds: number): void;
  /** A request's events went into the queue: how many were new, how many duplicates. */
  eventsAdmitted(channel: string, report: { enqueued: number; duplicates: number }): void;
  /** Events acknowledged but not queued, and why (`too_old`: past MAX_EVENT_AGE_MS). */
  eventsDropped(channel: string, reason: "too_old", count: number): void;
}

export function createIngressMetrics(registry: Registry): IngressMetrics {
  const webhooks = new Counter({
    name: "linefleet_webhooks_total",
    help: "Webhook requests answered, by outcome.",
    labelNames: ["channel", "outcome"] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: "linefleet_webhook_events_total",
    help: "Webhook events written to the queue: enqueued (new) or duplicate (already queued or handled).",
    labelNames: ["channel", "result"] as const,
    registers: [registry],
  });
  const dropped = new Counter({
    name: "linefleet_ingress_events_dropped_total",
    help: "Webhook events acknowledged (200) but not queued, by reason: too_old is past MAX_EVENT_AGE_MS.",
    labelNames: ["channel", "reason"] as const,
    registers: [registry],
  });
  const ack = new Histogram({
    name: "linefleet_webhook_ack_seconds",
    help: "Time from a webhook request's arrival to its answer. LINE gives up after 2 s.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [registry],
  });
  return {
    webhookAnswered(channel, status, seconds) {
      webhooks.inc({ channel, outcome: webhookOutcomeOf(status) });
      ack.observe(seconds);
    },
    eventsAdmitted(channel, report) {
      if (report.enqueued > 0) events.inc({ channel, result: "enqueued" }, report.enqueued);
      if (report.duplicates > 0) events.inc({ channel, result: "duplicate" }, report.duplicates);
    },
    eventsDropped(channel, reason, count) {
      dropped.inc({ channel, reason }, count);
    },
  };
}
