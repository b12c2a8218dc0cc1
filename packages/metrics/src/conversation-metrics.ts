import type { WorkerObserver } from "@linefleet/delivery";
import { withTimeout } from "@linefleet/errors";
import { Counter, Gauge, type Registry } from "prom-client";

type ConversationObserver = Pick<WorkerObserver, "conversationEnded">;

/** The counter of conversations ended by their wait's timeout (`conv.waitFor(…, { timeoutMs })`). */
export function createConversationMetrics(registry: Registry): ConversationObserver {
  const timedOut = new Counter({
    name: "linefleet_conversations_timed_out_total",
    help: "Conversations ended by a wait's timeout (its otherwise ran), by conversation name.",
    labelNames: ["conversation"] as const,
    registers: [registry],
  });
  return {
    conversationEnded(name, how) {
      if (how === "timed-out") timedOut.inc({ conversation: name });
    },
  };
}

export interface ConversationGaugeOptions {
  /** Counts the chats with a conversation in progress, fleet-wide; called once per scrape. */
  countActive(): Promise<number>;
  /** A read slower than this is given up: the scrape goes on without the gauge. */
  timeoutMs?: number;
}

/**
 * The gauge of conversations in progress, read from Redis (the conversations index) when
 * Prometheus scrapes. Every worker reports the same number: aggregate with max(), not sum().
 */
export function registerConversationGauge(
  registry: Registry,
  options: ConversationGaugeOptions,
): void {
  const timeoutMs = options.timeoutMs ?? 1_000;
  new Gauge({
    name: "linefleet_conversations_active",
    help: "Chats with a conversation in progress (waiting for an answer), across the fleet.",
    registers: [registry],
    async collect() {
      // Redis unreachable or slow: report no value rather than a stale one.
      this.reset();
      const count = await withTimeout(options.countActive(), timeoutMs, "conversations read").catch(
        () => undefined,
      );
      if (count !== undefined) this.set(count);
    },
  });
}
