import type { CampaignObserver } from "@linefleet/campaigns";
import { Counter, type Registry } from "prom-client";

/** The campaign processor's counters (names `linefleet_campaign_*`, listed in the README). */
export function createCampaignMetrics(registry: Registry): CampaignObserver {
  const registers = [registry];
  const recipients = new Counter({
    name: "linefleet_campaign_recipients_total",
    help: "Campaign recipients settled: sent (LINE accepted them), failed, or not_sent (monthly limit).",
    labelNames: ["channel", "outcome"] as const,
    registers,
  });
  const requests = new Counter({
    name: "linefleet_campaign_requests_total",
    help: "Campaign calls to LINE (multicast, narrowcast, broadcast), by HTTP status or error.",
    labelNames: ["channel", "endpoint", "status"] as const,
    registers,
  });
  const waits = new Counter({
    name: "linefleet_campaign_rate_limit_waits_total",
    help: "Campaign sends that waited for a rate limit: the fleet's own (fleet) or LINE's 429 (line).",
    labelNames: ["channel", "endpoint", "source"] as const,
    registers,
  });
  const ended = new Counter({
    name: "linefleet_campaign_ended_total",
    help: "Campaigns that reached an end state: done, stopped, refused or failed.",
    labelNames: ["state"] as const,
    registers,
  });
  return {
    recipients: (channel, outcome, count) => recipients.inc({ channel, outcome }, count),
    lineCall: (channel, endpoint, status) => requests.inc({ channel, endpoint, status }),
    rateLimitWait: (channel, endpoint, source) => waits.inc({ channel, endpoint, source }),
    ended: (state) => ended.inc({ state }),
  };
}
