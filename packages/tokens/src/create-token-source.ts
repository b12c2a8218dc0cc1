import type { ChannelConfig } from "@linefleet/channels";
import { staticTokenSource, type TokenSource } from "@linefleet/line-client";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import { createTokenIssuer } from "./issuer.ts";
import { createTokenManager, type TokenManagerOptions } from "./token-manager.ts";

export interface TokenSourceOptions
  extends Pick<TokenManagerOptions, "onRevokeError" | "onIssued" | "onInvalidated" | "now"> {
  redis: RedisConnection;
  keys: RedisKeys;
  apiBaseUrl?: string;
}

/** The token source a channel's configuration calls for: its static token, or a managed one. */
export function createTokenSource(
  channel: ChannelConfig,
  options: TokenSourceOptions,
): TokenSource {
  if (channel.token.kind === "static") return staticTokenSource(channel.token.channelAccessToken);
  return createTokenManager({
    redis: options.redis,
    keys: options.keys,
    channel: channel.name,
    issuer: createTokenIssuer(channel.token, {
      channelSecret: channel.channelSecret,
      ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onRevokeError ? { onRevokeError: options.onRevokeError } : {}),
    ...(options.onIssued ? { onIssued: options.onIssued } : {}),
    ...(options.onInvalidated ? { onInvalidated: options.onInvalidated } : {}),
  });
}
