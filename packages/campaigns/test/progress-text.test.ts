import { describe, expect, it } from "vitest";
import type { CampaignStatus } from "../src/campaign-status.ts";
import { endLine, progressBar, progressLine } from "../src/progress-text.ts";

const now = 1_800_000_000_000;
const base: CampaignStatus = {
  id: "cabc",
  name: "sale",
  kind: "multicast",
  state: "sending",
  audience: { userIds: 2000 },
  messages: 1,
  total: 2000,
  sent: 500,
  failed: 0,
  notSent: 0,
  remaining: 1500,
  ratePerSecond: 250,
  etaSeconds: 6,
  createdAt: now - 10_000,
  startedAt: now - 2_000,
  allowOverQuota: false,
  chunks: [],
};

describe("progress text", () => {
  it("draws a bar of the settled share, with counts, rate and ETA", () => {
    expect(progressBar(base, 20, now)).toBe(
      "[#####---------------]  25%  sending    sent 500/2000  failed 0  not sent 0  remaining 1500  250.0/s  ETA 6s",
    );
  });

  it("says when a send waits for a rate limit and when a scheduled campaign starts", () => {
    expect(progressLine({ ...base, waitingUntil: now + 90_000 }, now)).toContain(
      "waiting for the rate limit for 1m30s",
    );
    expect(
      progressLine(
        { ...base, state: "scheduled", scheduledAt: Date.parse("2026-12-24T00:00:00Z") },
        now,
      ),
    ).toContain("starts at 2026-12-24T00:00:00.000Z");
  });

  it("ends with what happened and the command that follows up", () => {
    expect(endLine({ ...base, state: "done", sent: 2000, remaining: 0, finishedAt: now })).toBe(
      "done: sent to 2000 of 2000 recipients in 2s",
    );
    expect(endLine({ ...base, state: "stopped", notSent: 1500 })).toBe(
      "stopped: LINE's monthly limit reached; sent 500, not sent 1500 (linefleet campaign status cabc --list not-sent)",
    );
    expect(endLine({ ...base, state: "refused", reason: "over the monthly quota" })).toBe(
      "refused: over the monthly quota",
    );
  });
});
