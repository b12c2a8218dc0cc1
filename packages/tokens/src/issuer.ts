import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { channelAccessToken } from "@line/bot-sdk";
import type { TokenMode } from "@linefleet/channels";
import { ConfigError } from "@linefleet/config";
import { signAssertion } from "./assertion.ts";

/** An access token as LINE issued it. */
export interface IssuedToken {
  accessToken: string;
  issuedAt: number;
  expiresAt: number;
  /** v2.1 only: the key id LINE returns, needed for nothing but logs. */
  keyId?: string | undefined;
}

/** Issues and revokes one channel's tokens at LINE's OAuth endpoints. */
export interface TokenIssuer {
  readonly kind: Exclude<TokenMode["kind"], "static">;
  /** The channel's ID at LINE, whose tokens this issues. */
  readonly channelId: string;
  /** Whether LINE lets a replaced token be revoked (stateless tokens cannot be). */
  readonly revocable: boolean;
  issue(): Promise<IssuedToken>;
  revoke(accessToken: string): Promise<void>;
}

export interface IssuerOptions {
  channelSecret: string;
  /** LINE's API (the emulator locally); the OAuth endpoints live there too. */
  apiBaseUrl?: string;
  /** v2.1: how long each token should live (LINE allows up to 30 days). */
  tokenExpSeconds?: number;
  now?: () => number;
  readFile?: (path: string) => string;
}

const THIRTY_DAYS_S = 30 * 24 * 60 * 60;

export function createTokenIssuer(
  mode: Exclude<TokenMode, { kind: "static" }>,
  options: IssuerOptions,
): TokenIssuer {
  const now = options.now ?? Date.now;
  const client = new channelAccessToken.ChannelAccessTokenClient(
    options.apiBaseUrl ? { baseURL: options.apiBaseUrl } : {},
  );
  const issued = (accessToken: string, expiresInSeconds: number, keyId?: string): IssuedToken => {
    const at = now();
    return { accessToken, issuedAt: at, expiresAt: at + expiresInSeconds * 1000, keyId };
  };
  const { channelSecret } = options;

  if (mode.kind === "stateless") {
    return {
      kind: "stateless",
      channelId: mode.channelId,
      revocable: false,
      async issue() {
        const body = await client.issueStatelessChannelTokenByClientSecret(
          mode.channelId,
          channelSecret,
        );
        return issued(body.access_token, body.expires_in);
      },
      async revoke() {},
    };
  }
  if (mode.kind === "short-lived") {
    return {
      kind: "short-lived",
      channelId: mode.channelId,
      revocable: true,
      async issue() {
        const body = await client.issueChannelToken(
          "client_credentials",
          mode.channelId,
          channelSecret,
        );
        return issued(body.access_token, body.expires_in);
      },
      async revoke(accessToken) {
        await client.revokeChannelToken(accessToken);
      },
    };
  }
  // Read once, at start: a missing or unreadable key is a configuration error, not an event's.
  const privateKey = readPrivateKey(mode.privateKeyFile, options.readFile);
  return {
    kind: "v2.1",
    channelId: mode.channelId,
    revocable: true,
    async issue() {
      const assertion = signAssertion({
        channelId: mode.channelId,
        kid: mode.kid,
        privateKey,
        tokenExpSeconds: options.tokenExpSeconds ?? THIRTY_DAYS_S,
        now: now(),
      });
      const body = await client.issueChannelTokenByJWT(
        "client_credentials",
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        assertion,
      );
      return issued(body.access_token, body.expires_in, body.key_id);
    },
    async revoke(accessToken) {
      await client.revokeChannelTokenByJWT(mode.channelId, channelSecret, accessToken);
    },
  };
}

function readPrivateKey(path: string, readFile = (p: string) => readFileSync(p, "utf8")): string {
  try {
    const pem = readFile(path);
    createPrivateKey(pem);
    return pem;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([
      `CHANNELS_FILE: privateKeyFile ${path} is not a readable private key (${reason})`,
    ]);
  }
}
