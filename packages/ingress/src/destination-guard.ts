import { once } from "node:events";
import { withTimeout } from "@linefleet/errors";
import type { RedisConnection, RedisKeys } from "@linefleet/store";

export interface DestinationGuardOptions {
  redis: RedisConnection;
  keys: RedisKeys;
  channel: string;
  /** The channel's bot user id, when the configuration gives it: then nothing is looked up. */
  botUserId?: string | undefined;
  /**
   * Asks LINE for the channel's bot user ID (`GET /v2/bot/info` with its token, see bot-info.ts);
   * rejects when LINE cannot tell now.
   */
  lookUp(): Promise<string>;
  /** How long a request waits for a first lookup before it is let through unconfirmed. */
  firstLookupWaitMs?: number;
  /** After a failed lookup, LINE is not asked again for this long (doubling up to a minute). */
  retryAfterMs?: number;
  /** Told when LINE named the bot (also when it replaced another ID), and when it could not. */
  onConfirmed?(botUserId: string, replaced: string | undefined): void;
  onLookupError?(error: unknown): void;
  now?: () => number;
}

/**
 * Tells whether a verified webhook was addressed to this channel's bot. The bot's user ID comes
 * from the configuration, or else from LINE itself: `GET /v2/bot/info` with the channel's token,
 * asked at start and whenever a verified request names a bot other than the one known (so a bot
 * ID that is wrong, or that an earlier version learned from a request, is corrected by the next
 * genuine webhook). Only an ID LINE confirmed is kept in Redis, where every ingress process finds
 * it when LINE is away.
 *
 * When LINE cannot be asked (unreachable, no token) and nothing is known yet, a verified request
 * is let through unconfirmed and nothing is stored: its signature already proves it was made with
 * this channel's secret. When a known ID disagrees and LINE cannot settle it, the check rejects
 * (the request is answered 503, or spooled), rather than refusing a genuine webhook for good.
 */
export function createDestinationGuard(options: DestinationGuardOptions) {
  const now = options.now ?? Date.now;
  const key = options.keys.botUserId(options.channel);
  const firstLookupWaitMs = options.firstLookupWaitMs ?? 300;
  const retryAfterMs = options.retryAfterMs ?? 5_000;
  let known: string | undefined;
  let inFlight: Promise<string> | undefined;
  let failures = 0;
  let quietUntil = 0;
  /** When LINE last named the bot: a misaddressed request soon after needs no new lookup. */
  let confirmedAt = Number.NEGATIVE_INFINITY;
  /** Until when verified requests pass unconfirmed, without a Redis read: LINE could not tell. */
  let passUntil = 0;
  let connected: Promise<unknown> | undefined;

  /**
   * The ingress's connection has no offline queue (it must fail fast), so a command sent while it
   * still connects, just after start, would fail and the webhook get a 503. Wait for it instead,
   * as BullMQ does before the enqueue; the handler's timeout bounds the wait.
   */
  const ready = () => {
    if (options.redis.status === "ready") return undefined;
    connected ??= once(options.redis, "ready").finally(() => {
      connected = undefined;
    });
    return connected;
  };

  /** One lookup at a time, and none while LINE was just found unable to answer. */
  function confirm(): Promise<string> {
    if (inFlight) return inFlight;
    if (now() < quietUntil) return Promise.reject(new Error("LINE was asked moments ago"));
    inFlight = options
      .lookUp()
      .then(async (userId) => {
        failures = 0;
        confirmedAt = now();
        const replaced = known !== undefined && known !== userId ? known : undefined;
        known = userId;
        options.onConfirmed?.(userId, replaced);
        // Best effort: another process asks LINE itself if this write is lost.
        await ready();
        await options.redis.set(key, userId).catch(() => {});
        return userId;
      })
      .catch((error: unknown) => {
        failures++;
        quietUntil = now() + Math.min(retryAfterMs * 2 ** (failures - 1), 60_000);
        options.onLookupError?.(error);
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return {
    /** Asks LINE now, in the background: the answer is usually there before the first webhook. */
    warm(): void {
      if (options.botUserId === undefined) confirm().catch(() => {});
    },

    async check(destination: string): Promise<boolean> {
      if (options.botUserId !== undefined) return destination === options.botUserId;
      if (destination === known) return true;
      if (known === undefined) {
        if (now() < passUntil) return true;
        await ready();
        const stored = await options.redis.get(key);
        if (stored !== null) known = stored;
        if (destination === known) return true;
      }
      if (known === undefined) {
        // Nothing known yet: wait a little for LINE, then let the verified request through.
        const confirmed = await withTimeout(
          confirm(),
          firstLookupWaitMs,
          "bot user ID lookup",
        ).catch(() => undefined);
        if (confirmed !== undefined) return destination === confirmed;
        passUntil = quietUntil;
        return true;
      }
      // Another bot than the one known: LINE settles it (rejects if it cannot now), unless it
      // just did.
      if (now() - confirmedAt < retryAfterMs) return false;
      return destination === (await confirm());
    },
  };
}
