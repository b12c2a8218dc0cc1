export type { Registry } from "prom-client";
export { createCampaignMetrics } from "./campaign-metrics.ts";
export {
  type ConversationGaugeOptions,
  createConversationMetrics,
  registerConversationGauge,
} from "./conversation-metrics.ts";
export {
  createIngressMetrics,
  type IngressMetrics,
  type WebhookOutcomeLabel,
  webhookOutcomeOf,
} from "./ingress-metrics.ts";
export { type MetricsServerOptions, serveMetrics } from "./metrics-server.ts";
export { type QueueGaugeOptions, registerQueueGauges } from "./queue-gauges.ts";
export { answerReadiness, type ReadinessAnswer, type ReadinessOptions } from "./readiness.ts";
export { createRegistry } from "./registry.ts";
export { registerScheduleGauges, type ScheduleGaugeOptions } from "./schedule-metrics.ts";
export { createWorkerMetrics } from "./worker-metrics.ts";
