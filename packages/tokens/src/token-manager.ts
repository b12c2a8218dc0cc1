import { randomUUID } from "node:crypto";
import type { ErrorCode } from "@linefleet/errors";
import type { TokenSource } from "@linefleet/line-client";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import type { IssuedToken, TokenIssuer } from "./issuer.ts";
import { createTokenCache } from "./token-cache.ts";

export interface TokenManagerOptions {
  redis: RedisConnection;
  keys: RedisKeys;
  /** The channel's name, for errors. */
  channel: string;
  issuer: TokenIssuer;
  /** Renew once less than this share of a token's lifetime is left. */
  renewWhenLeft?: number;
  /** How long a renewal may hold the lock; past it another process may try. */
  lockTtlMs?: number;
  /** How often a process waiting for another's renewal looks for the new token. */
  pollMs?: number;
  /** How long a process waits for a token before giving up (the event is then retried). */
  waitTimeoutMs?: number;
  now?: () => number;
  onRevokeError?: (error: unknown) => void;
  onIssued?: (token: IssuedToken) => void;
  /** LINE refused a token (401); it is dropped for the whole fleet. */
  onInvalidated?: () => void;
}

export class TokenUnavailableError extends Error {
  readonly code = "LF_TOKEN_UNAVAILABLE" satisfies ErrorCode;
  constructor(channel: string, ms: number, cause?: unknown) {
    super(`no access token for channel ${channel} within ${ms} ms`, { cause });
    this.name = "TokenUnavailableError";
  }
}

/**
 * One channel's issued access token, shared by every process through Redis and renewed
 * single-flight: once less than a fifth of its lifetime is left, the process that takes the
 * lock issues a new token, stores it, revokes the old one where LINE allows, and releases the
 * lock; the others keep using the old (still valid) token meanwhile, or, with no valid token at
 * all, wait for the new one. Within a process, concurrent callers share one lookup.
 */
export function createTokenManager(options: TokenManagerOptions): TokenSource {
  const { issuer, channel } = options;
  const now = options.now ?? Date.now;
  const renewWhenLeft = options.renewWhenLeft ?? 0.2;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const pollMs = options.pollMs ?? 50;
  const waitTimeoutMs = options.waitTimeoutMs ?? 15_000;
  const cache = createTokenCache(options.redis, options.keys, issuer.channelId);
  let memo: IssuedToken | undefined;
  let lookup: Promise<string> | undefined;

  // Plain booleans, not type guards: "not fresh" must not narrow a token away.
  const fresh = (token: IssuedToken): boolean =>
    now() < token.expiresAt - (token.expiresAt - token.issuedAt) * renewWhenLeft;
  const valid = (token: IssuedToken): boolean => now() < token.expiresAt;

  async function renew(replacing: IssuedToken | undefined): Promise<IssuedToken> {
    const issued = await issuer.issue();
    await cache.write(issued, now());
    options.onIssued?.(issued);
    if (replacing && issuer.revocable && replacing.accessToken !== issued.accessToken) {
      // Calls still in flight with the old token get a 401, invalidate it (a no-op now) and
      // retry with the new one; revoking keeps the channel under LINE's 30-token cap.
      issuer.revoke(replacing.accessToken).catch((error) => options.onRevokeError?.(error));
    }
    return issued;
  }

  async function find(): Promise<string> {
    const giveUpAt = now() + waitTimeoutMs;
    for (;;) {
      const cached = await cache.read();
      if (cached && fresh(cached)) {
        memo = cached;
        return cached.accessToken;
      }
      const owner = randomUUID();
      if (await cache.lock(owner, lockTtlMs)) {
        try {
          // Another process may have renewed between the read and the lock.
          const current = await cache.read();
          if (current && fresh(current)) {
            memo = current;
            return current.accessToken;
          }
          memo = await renew(current ?? cached);
          return memo.accessToken;
        } finally {
          await cache.unlock(owner).catch(() => {});
        }
      }
      // Another process is renewing: an old token that still works serves until it is done.
      if (cached && valid(cached)) return cached.accessToken;
      if (now() >= giveUpAt) throw new TokenUnavailableError(channel, waitTimeoutMs);
      // Polling rather than pub/sub: a renewal is rare and takes one LINE round trip.
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  return {
    renewable: true,
    async get() {
      if (memo && fresh(memo)) return memo.accessToken;
      lookup ??= find().finally(() => {
        lookup = undefined;
      });
      return lookup;
    },
    async invalidate(accessToken) {
      if (memo?.accessToken === accessToken) memo = undefined;
      options.onInvalidated?.();
      await cache.invalidate(accessToken);
    },
    current: () => memo?.accessToken,
  };
}
