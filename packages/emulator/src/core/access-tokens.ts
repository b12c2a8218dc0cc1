import { randomBytes } from "node:crypto";
import type { EmulatedChannel } from "./channels.ts";

export type IssuedKind = "stateless" | "short-lived" | "v2.1";

export interface IssuedAccessToken {
  accessToken: string;
  channel: EmulatedChannel;
  kind: IssuedKind;
  issuedAt: number;
  expiresAt: number;
  keyId?: string;
}

/** LINE's caps: at most 30 active short-lived or v2.1 tokens per channel. */
export const MAX_ACTIVE_TOKENS = 30;

export type Authentication =
  | { ok: true; channel: EmulatedChannel }
  | { ok: false; reason: "unknown" | "expired" };

/** Channel access tokens the emulated platform issued, with their expiry and revocation. */
export class IssuedAccessTokens {
  readonly #tokens = new Map<string, IssuedAccessToken>();

  issue(input: Omit<IssuedAccessToken, "accessToken">): IssuedAccessToken {
    const token: IssuedAccessToken = {
      ...input,
      // Stateless tokens are JWTs at LINE; any opaque string serves the bot the same way.
      accessToken: `${input.kind}.${randomBytes(24).toString("base64url")}`,
    };
    this.#tokens.set(token.accessToken, token);
    return token;
  }

  /** Active tokens of one kind for one channel, oldest first. */
  active(channel: EmulatedChannel, kind: IssuedKind, now: number): IssuedAccessToken[] {
    return [...this.#tokens.values()]
      .filter((t) => t.channel === channel && t.kind === kind && now < t.expiresAt)
      .sort((a, b) => a.issuedAt - b.issuedAt);
  }

  find(accessToken: string): IssuedAccessToken | undefined {
    return this.#tokens.get(accessToken);
  }

  revoke(accessToken: string): boolean {
    return this.#tokens.delete(accessToken);
  }

  /** Which channel a bearer token speaks for; a static token never expires. */
  authenticate(
    accessToken: string,
    staticOwner: EmulatedChannel | undefined,
    now: number,
  ): Authentication {
    if (staticOwner) return { ok: true, channel: staticOwner };
    const issued = this.#tokens.get(accessToken);
    if (!issued) return { ok: false, reason: "unknown" };
    if (now >= issued.expiresAt) return { ok: false, reason: "expired" };
    return { ok: true, channel: issued.channel };
  }

  clear() {
    this.#tokens.clear();
  }
}
