/** What the campaign processor reports, for metrics (packages/metrics' campaign metrics). */
export interface CampaignObserver {
  /** Recipients settled: sent (LINE accepted them), failed, or not sent (monthly limit, cancel). */
  recipients(channel: string, outcome: "sent" | "failed" | "not_sent", count: number): void;
  /** A call to LINE's multicast, narrowcast or broadcast, by HTTP status (or timeout, network). */
  lineCall(channel: string, endpoint: string, status: string): void;
  /** A send put aside for a rate limit: ours (`fleet`) or LINE's 429 (`line`). */
  rateLimitWait(channel: string, endpoint: string, source: "fleet" | "line"): void;
  /** A campaign reached an end state (done, stopped, refused, failed). */
  ended(state: string): void;
}

export const noCampaignObserver: CampaignObserver = {
  recipients: () => {},
  lineCall: () => {},
  rateLimitWait: () => {},
  ended: () => {},
};
