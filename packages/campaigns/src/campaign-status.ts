import type { CampaignKeys, RedisConnection } from "@linefleet/store";
import type { CampaignKind } from "./campaign-schema.ts";

export type CampaignState =
  | "scheduled"
  | "preparing"
  | "sending"
  | "paused"
  | "done"
  | "stopped"
  | "cancelled"
  | "refused"
  | "failed";

/** States after which nothing more is sent (unless failed chunks are retried). */
export const endedStates: ReadonlySet<CampaignState> = new Set([
  "done",
  "stopped",
  "cancelled",
  "refused",
  "failed",
]);

/** One send of a campaign as recorded before and after LINE's answer. */
export interface ChunkRecord {
  state: "sending" | "sent" | "failed" | "not_sent";
  retryKey?: string;
  attempts?: number;
  /** Recipients in the chunk (multicast); for a narrowcast, those LINE reports. */
  recipients?: number;
  /** LINE's `x-line-request-id` of the accepted request (after a 409, the accepted one's). */
  requestId?: string;
  /** Why it failed or was not sent. */
  error?: string;
  firstAt?: number;
  /** When it was last tried or settled (epoch ms). */
  at?: number;
}

/** The quota as read before sending. */
export interface QuotaReading {
  /** LINE's quota type: "none" (unlimited) or "limited" with `value`. */
  type: string;
  value?: number;
  /** This month's consumption when read. */
  used: number;
  /** value − used; absent when unlimited. */
  remaining?: number;
  /** Messages the campaign needs (recipients × messages); absent for narrowcast and broadcast. */
  needed?: number;
}

export interface CampaignStatus {
  id: string;
  name: string;
  channel?: string;
  kind: CampaignKind;
  state: CampaignState;
  /** Where the audience came from, without the IDs themselves. */
  audience: Record<string, unknown>;
  messages: number;
  total: number;
  sent: number;
  failed: number;
  notSent: number;
  remaining: number;
  /** Recipients settled per second since the first send. */
  ratePerSecond: number;
  /** Seconds until done at that rate; absent when unknown or ended. */
  etaSeconds?: number;
  createdAt: number;
  scheduledAt?: number;
  startedAt?: number;
  finishedAt?: number;
  allowOverQuota: boolean;
  quota?: QuotaReading;
  /** Why the campaign was refused or failed, or stopped early. */
  reason?: string;
  stopReason?: string;
  /** Set while the campaign waits for a rate limit (ours or LINE's 429). */
  waitingUntil?: number;
  /** LINE's request id of a narrowcast or broadcast. */
  requestId?: string;
  /** A narrowcast's last progress from LINE. */
  narrowcastProgress?: Record<string, unknown>;
  /** Every send recorded, by chunk number. */
  chunks: Array<ChunkRecord & { chunk: number }>;
}

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** A campaign's record and chunks, read in one round trip and shaped for `status`. */
export async function readCampaign(
  redis: RedisConnection,
  keys: CampaignKeys,
  id: string,
  now = Date.now(),
): Promise<CampaignStatus | undefined> {
  const [record, chunkEntries] = await Promise.all([
    redis.hgetall(keys.record(id)),
    redis.hgetall(keys.chunks(id)),
  ]);
  if (!record.state) return undefined;
  const total = Number(record.total ?? 0);
  const sent = Number(record.sent ?? 0);
  const failed = Number(record.failed ?? 0);
  const notSent = Number(record.notSent ?? 0);
  const state = record.state as CampaignState;
  const ended = endedStates.has(state);
  const remaining = Math.max(0, total - sent - failed - notSent);
  const startedAt = number(record.startedAt);
  const finishedAt = number(record.finishedAt);
  const elapsedSeconds = startedAt ? ((finishedAt ?? now) - startedAt) / 1000 : 0;
  const settled = sent + failed + notSent;
  const ratePerSecond = elapsedSeconds > 0 ? settled / elapsedSeconds : 0;
  const chunks = Object.entries(chunkEntries)
    .map(([chunk, json]) => ({ chunk: Number(chunk), ...(JSON.parse(json) as ChunkRecord) }))
    .sort((a, b) => a.chunk - b.chunk);
  const waitingUntil = number(record.waitingUntil);
  return {
    id,
    name: record.name ?? "",
    ...(record.channel ? { channel: record.channel } : {}),
    kind: record.kind as CampaignKind,
    state,
    audience: JSON.parse(record.audience ?? "{}"),
    messages: (JSON.parse(record.messages ?? "[]") as unknown[]).length,
    total,
    sent,
    failed,
    notSent,
    remaining,
    ratePerSecond: Math.round(ratePerSecond * 10) / 10,
    ...(!ended && ratePerSecond > 0 && remaining > 0
      ? { etaSeconds: Math.ceil(remaining / ratePerSecond) }
      : {}),
    createdAt: Number(record.createdAt),
    ...(record.scheduledAt ? { scheduledAt: Number(record.scheduledAt) } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    allowOverQuota: record.allowOverQuota === "1",
    ...(record.quota ? { quota: JSON.parse(record.quota) } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.stopReason ? { stopReason: record.stopReason } : {}),
    ...(!ended && waitingUntil && waitingUntil > now ? { waitingUntil } : {}),
    ...(record.requestId ? { requestId: record.requestId } : {}),
    ...(record.narrowcastProgress
      ? { narrowcastProgress: JSON.parse(record.narrowcastProgress) }
      : {}),
    chunks,
  };
}
