import type { CampaignStatus } from "@linefleet/campaigns";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const when = (ms: number | undefined) =>
  ms ? new Date(ms).toISOString().replace(".000Z", "Z") : "";

/** Every campaign on record as one HTML table: what `linefleet campaign list` and `status` say. */
export function campaignsPage(campaigns: CampaignStatus[]): string {
  const rows = campaigns.map((c) => {
    const settled = c.sent + c.failed + c.notSent;
    const percent =
      c.total > 0 ? Math.floor((settled / c.total) * 100) : c.state === "done" ? 100 : 0;
    const cells = [
      c.id,
      c.name,
      c.kind,
      `${c.state}${c.stopReason ? ` (${c.stopReason})` : ""}`,
      `${c.sent}/${c.total}`,
      String(c.failed),
      String(c.notSent),
      String(c.remaining),
      `${percent}%`,
      `${c.ratePerSecond.toFixed(1)}/s`,
      c.etaSeconds === undefined ? "" : `${c.etaSeconds}s`,
      when(c.createdAt),
      when(c.finishedAt),
      c.reason ?? "",
    ];
    return `<tr data-campaign="${escapeHtml(c.id)}">${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`;
  });
  const headers = [
    "id",
    "name",
    "kind",
    "state",
    "sent",
    "failed",
    "not sent",
    "remaining",
    "done",
    "rate",
    "ETA",
    "created",
    "finished",
    "reason",
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>linefleet campaigns</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f4f4f4}</style>
</head><body><h1>Campaigns</h1>
<p>Newest first. Details, failed sends and retries: <code>linefleet campaign status &lt;id&gt;</code>. Jobs: <a href="queues">the queue dashboard</a>.</p>
<table><thead><tr>${headers.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
<tbody>${rows.join("\n") || `<tr><td colspan="${headers.length}">No campaigns.</td></tr>`}</tbody></table>
</body></html>`;
}
