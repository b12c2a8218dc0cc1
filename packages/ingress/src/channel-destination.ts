import type { ChannelConfig } from "@linefleet/channels";
import type { Logger } from "@linefleet/log";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import { createTokenSource, type TokenSource } from "@linefleet/tokens";
import { lookUpBotUserId } from "./bot-info.ts";
import { createDestinationGuard } from "./destination-guard.ts";

/**
 * A channel's destination check, wired: without a botUserId in the configuration, LINE names the
 * channel's bot (GET /v2/bot/info with the channel's token), asked at once in the background.
 */
export function destinationGuardFor(
  channel: ChannelConfig,
  deps: { redis: RedisConnection; keys: RedisKeys; apiBaseUrl: string; logger: Logger },
) {
  const { redis, keys, apiBaseUrl, logger } = deps;
  // Made on first use: a channel that gives its botUserId needs no token, and a bad key file is
  // then a failed lookup (logged), not a crash of the ingress.
  let tokens: TokenSource | undefined;
  const accessToken = async () => {
    tokens ??= createTokenSource(channel, { redis, keys, apiBaseUrl });
    return (await tokens.get()) || undefined;
  };
  const tokenless = channel.token.kind === "static" && !channel.token.channelAccessToken;
  if (tokenless && !channel.botUserId) {
    logger.warn(
      { channel: channel.name },
      "no access token for this channel at the ingress: its bot user ID cannot be confirmed with LINE, so any destination passes; give the ingress the token, or set botUserId",
    );
  }
  const guard = createDestinationGuard({
    redis,
    keys,
    channel: channel.name,
    botUserId: channel.botUserId,
    lookUp: () => lookUpBotUserId({ apiBaseUrl, accessToken }),
    onConfirmed: (botUserId, replaced) =>
      logger.info({ channel: channel.name, botUserId, replaced }, "bot user ID confirmed by LINE"),
    onLookupError: (error) => {
      if (tokenless) return; // said once, above
      logger.warn(
        { channel: channel.name, reason: (error as Error).message },
        "cannot ask LINE for the bot user ID; verified webhooks pass unconfirmed meanwhile",
      );
    },
  });
  guard.warm();
  return guard;
}
