// `--at <time>`: a campaign's start as a plain BullMQ delayed job of the campaign queue. Kept to
// this file so it can move onto the deployment's scheduled-work machinery in one place.
import { CampaignError } from "./errors.ts";

const relative = /^\+(\d+)(s|m|h|d)$/;
const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * When `--at` means, as epoch ms: an ISO 8601 date-time with its offset (`2026-12-24T09:00:00+09:00`,
 * `…Z`), or `+<n>s|m|h|d` from now. A time without an offset is refused: a campaign sent an hour
 * off because of a server's time zone is a mistake nobody can take back.
 */
export function parseAt(text: string, now = Date.now()): number {
  const match = relative.exec(text.trim());
  if (match) return now + Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text.trim())) {
    throw new CampaignError(
      "invalid_time",
      `--at ${text}: expected an ISO 8601 time with its offset (2026-12-24T09:00:00+09:00) or +<n>s|m|h|d`,
    );
  }
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new CampaignError("invalid_time", `--at ${text}: not a valid time`);
  return at;
}

/** The delay of the start job of a campaign scheduled at `at` (0 when the time has passed). */
export const startDelayMs = (at: number, now = Date.now()) => Math.max(0, at - now);
