import {
  channelAccessToken,
  insight,
  liff,
  manageAudience,
  messagingApi,
  moduleAttach,
  moduleOperation,
  shop,
} from "@line/bot-sdk";

/**
 * Every client `@line/bot-sdk` exports, pointed at one emulator. LINE spreads them over three
 * hosts (api.line.me, api-data.line.me, manager.line.biz); the emulator serves all at its root,
 * which is also the only place they can reach it: the SDK builds each request URL from an
 * absolute path, so a path in `baseURL` would be dropped.
 */
export function allSdkClients(
  baseURL: string,
  tokens: { bot: string; module: string },
): Record<string, object> {
  const bot = { baseURL, channelAccessToken: tokens.bot };
  return {
    messaging: new messagingApi.MessagingApiClient(bot),
    messagingBlob: new messagingApi.MessagingApiBlobClient(bot),
    insight: new insight.InsightClient(bot),
    audience: new manageAudience.ManageAudienceClient(bot),
    audienceBlob: new manageAudience.ManageAudienceBlobClient(bot),
    liff: new liff.LiffClient(bot),
    shop: new shop.ShopClient(bot),
    module: new moduleOperation.LineModuleClient({ baseURL, channelAccessToken: tokens.module }),
    moduleAttach: new moduleAttach.LineModuleAttachClient({
      baseURL,
      channelAccessToken: tokens.module,
    }),
    channelAccessToken: new channelAccessToken.ChannelAccessTokenClient({ baseURL }),
  };
}

/**
 * A client's operations: the names of its methods that have a `…WithHttpInfo` twin (which
 * answers the status and headers too). The SDK names each after the spec's operationId.
 */
export function operationsOf(client: object): string[] {
  return Object.getOwnPropertyNames(Object.getPrototypeOf(client))
    .filter((name) => name.endsWith("WithHttpInfo"))
    .map((name) => name.slice(0, -"WithHttpInfo".length))
    .sort();
}
