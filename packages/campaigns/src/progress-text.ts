import type { CampaignStatus } from "./campaign-status.ts";

const seconds = (value: number) =>
  value >= 3600
    ? `${Math.floor(value / 3600)}h${String(Math.floor((value % 3600) / 60)).padStart(2, "0")}m`
    : value >= 60
      ? `${Math.floor(value / 60)}m${String(Math.round(value % 60)).padStart(2, "0")}s`
      : `${Math.round(value)}s`;

const time = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : "-");

/** One line of progress: `sending  sent 9000/20000  failed 0  …  200.0/s  ETA 55s`. */
export function progressLine(status: CampaignStatus, now = Date.now()): string {
  if (status.kind !== "multicast" && status.total === 0 && status.state === "sending") {
    const phase = status.narrowcastProgress?.phase;
    const waiting = status.waitingUntil
      ? `, waiting for the rate limit until ${time(status.waitingUntil)}`
      : "";
    return `sending  ${status.kind}${status.requestId ? ` accepted (request ${status.requestId})` : ""}${phase ? `, LINE: ${phase}` : ""}${waiting}`;
  }
  const parts = [
    status.state.padEnd(9),
    `sent ${status.sent}/${status.total}`,
    `failed ${status.failed}`,
    `not sent ${status.notSent}`,
    `remaining ${status.remaining}`,
    `${status.ratePerSecond.toFixed(1)}/s`,
  ];
  if (status.etaSeconds !== undefined) parts.push(`ETA ${seconds(status.etaSeconds)}`);
  if (status.waitingUntil)
    parts.push(`waiting for the rate limit for ${seconds((status.waitingUntil - now) / 1000)}`);
  if (status.state === "scheduled") parts.push(`starts at ${time(status.scheduledAt)}`);
  return parts.join("  ");
}

/** A terminal progress bar of `width` cells, then the progress line. */
export function progressBar(status: CampaignStatus, width = 30, now = Date.now()): string {
  const settled = status.sent + status.failed + status.notSent;
  const fraction =
    status.total > 0 ? Math.min(1, settled / status.total) : status.state === "done" ? 1 : 0;
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${progressLine(status, now)}`;
}

/** How a campaign ended, in one line for the command's last output. */
export function endLine(status: CampaignStatus): string {
  const took =
    status.startedAt && status.finishedAt
      ? ` in ${seconds((status.finishedAt - status.startedAt) / 1000)}`
      : "";
  switch (status.state) {
    case "done":
      return status.kind === "multicast" || status.total > 0
        ? `done: sent to ${status.sent} of ${status.total} recipients${status.failed ? `, ${status.failed} failed (linefleet campaign retry ${status.id})` : ""}${took}`
        : `done: ${status.kind} accepted by LINE (request ${status.requestId ?? "?"})${took}`;
    case "stopped":
      return `stopped: LINE's monthly limit reached; sent ${status.sent}, not sent ${status.notSent} (linefleet campaign status ${status.id} --list not-sent)`;
    case "refused":
      return `refused: ${status.reason ?? "?"}`;
    case "failed":
      return `failed: ${status.reason ?? "see the failed chunks"} (linefleet campaign status ${status.id})`;
    case "cancelled":
      return `cancelled: sent ${status.sent}, not sent ${status.total - status.sent - status.failed}`;
    default:
      return progressLine(status);
  }
}

/** The whole `status` report, for people. */
export function statusReport(status: CampaignStatus): string {
  const lines = [
    `campaign ${status.id} "${status.name}" (${status.kind}${status.channel ? `, channel ${status.channel}` : ""})`,
    `state:      ${status.state}${status.stopReason ? ` (${status.stopReason})` : ""}${status.reason ? `: ${status.reason}` : ""}`,
    `audience:   ${JSON.stringify(status.audience)}, ${status.messages} message(s) each`,
    `recipients: total ${status.total}, sent ${status.sent}, failed ${status.failed}, not sent ${status.notSent}, remaining ${status.remaining}`,
    `rate:       ${status.ratePerSecond.toFixed(1)}/s${status.etaSeconds !== undefined ? `, ETA ${seconds(status.etaSeconds)}` : ""}${status.waitingUntil ? `, waiting for the rate limit until ${time(status.waitingUntil)}` : ""}`,
    `times:      created ${time(status.createdAt)}${status.scheduledAt ? `, scheduled ${time(status.scheduledAt)}` : ""}, started ${time(status.startedAt)}, finished ${time(status.finishedAt)}`,
  ];
  if (status.quota) {
    const q = status.quota;
    lines.push(
      `quota:      ${q.type === "limited" ? `${q.value}, used ${q.used}, remaining ${q.remaining}` : `none (used ${q.used})`}${q.needed !== undefined ? `, needed ${q.needed}` : ""}${status.allowOverQuota ? " (--allow-over-quota)" : ""}`,
    );
  }
  if (status.requestId) lines.push(`request id: ${status.requestId}`);
  const sentChunks = status.chunks.filter((chunk) => chunk.state === "sent").length;
  lines.push(`sends:      ${status.chunks.length} recorded, ${sentChunks} accepted by LINE`);
  for (const chunk of status.chunks.filter((c) => c.state === "failed" || c.state === "not_sent")) {
    lines.push(
      `  ${chunk.state === "failed" ? "failed  " : "not sent"} chunk ${chunk.chunk} (${chunk.recipients ?? 0} recipients, ${chunk.attempts ?? 0} tries): ${chunk.error ?? ""}`,
    );
  }
  if (status.chunks.some((c) => c.state === "failed" || c.state === "not_sent")) {
    lines.push(`  send them again: linefleet campaign retry ${status.id}`);
  }
  return lines.join("\n");
}
