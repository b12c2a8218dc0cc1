import { createHash } from "node:crypto";

/**
 * A deterministic X-Line-Retry-Key (a UUID, as LINE requires) for the n-th message batch an event
 * sends. The same event and position always yield the same key, so a retried job, a redelivered
 * webhook or a restarted worker re-sends with the key LINE has already seen and gets a 409
 * instead of delivering twice.
 */
export function retryKeyFor(webhookEventId: string, position: number): string {
  const hash = createHash("sha256").update(`linefleet:push:${webhookEventId}:${position}`).digest();
  // Shape it as a version-5-style UUID (name-based), keeping LINE's UUID format check happy.
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
