import type { SendObserver, WorkerObserver } from "@linefleet/delivery";
import { Counter, Histogram, type Registry } from "prom-client";
import { createConversationMetrics } from "./conversation-metrics.ts";
import { createScheduleMetrics } from "./schedule-metrics.ts";

/** The worker's counters and histograms, as the observer the event worker reports to. */
export function createWorkerMetrics(registry: Registry): WorkerObserver {
  const registers = [registry];
  const processed = new Counter({
    name: "linefleet_events_processed_total",
    help: "Event attempts finished: ok, retry (will be tried again) or dead_letter (failed for good).",
    labelNames: ["channel", "type", "outcome"] as const,
    registers,
  });
  const sends = new Counter({
    name: "linefleet_sends_total",
    help: "Reply and push calls, by outcome; already_delivered: sent before, not shown again.",
    labelNames: ["channel", "method", "outcome"] as const,
    registers,
  });
  const fallbacks = new Counter({
    name: "linefleet_push_fallbacks_total",
    help: "Answers meant as replies that went by push instead.",
    labelNames: ["channel", "reason"] as const,
    registers,
  });
  const tokenAge = new Histogram({
    name: "linefleet_reply_token_age_seconds",
    help: "Age of the reply token (from the event's timestamp) when a reply is sent with it.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 50, 60],
    registers,
  });
  const lineErrors = new Counter({
    name: "linefleet_line_api_errors_total",
    help: "Failed calls to LINE's API, by HTTP status (or timeout, network).",
    labelNames: ["channel", "status"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "linefleet_event_latency_seconds",
    help: "From an event's timestamp to its answer accepted by LINE.",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const laneWaits = new Counter({
    name: "linefleet_lane_waits_total",
    help: "Times an event stepped aside because an earlier event of its chat was still pending.",
    registers,
  });

  // One observer per channel, made once: the hot path only increments.
  const perChannel = new Map<string, SendObserver>();
  function sendObserver(channel: string): SendObserver {
    return {
      sent: (method, outcome) => sends.inc({ channel, method, outcome }),
      pushFallback: (reason) => fallbacks.inc({ channel, reason }),
      replyTokenAge: (ms) => tokenAge.observe(ms / 1000),
      answered: (ms) => latency.observe(ms / 1000),
      lineApiError: (status) => lineErrors.inc({ channel, status }),
    };
  }
  return {
    ...createScheduleMetrics(registry),
    ...createConversationMetrics(registry),
    eventProcessed: (channel, type, outcome) => processed.inc({ channel, type, outcome }),
    laneWait: () => laneWaits.inc(),
    sends(channel) {
      let observer = perChannel.get(channel);
      if (!observer) {
        observer = sendObserver(channel);
        perChannel.set(channel, observer);
      }
      return observer;
    },
  };
}
