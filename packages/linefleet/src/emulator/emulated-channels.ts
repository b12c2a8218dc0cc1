import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { type ChannelConfig, DEFAULT_CHANNEL } from "@linefleet/channels";
import type { ChannelOptions, EmulatorOptions } from "@linefleet/emulator";
import { botUserIdFor } from "./env.ts";

/**
 * Emulator options playing every channel of a CHANNELS_FILE: the same secrets, static tokens
 * and channel ids, the public half of each v2.1 assertion key, and each channel's webhook at
 * `<EMULATOR_WEBHOOK_URL>/<name>` ("default" at the URL itself), as the ingress serves them.
 */
export function emulatedChannels(
  channels: readonly ChannelConfig[],
  webhookBase: string,
): EmulatorOptions {
  const [first, ...rest] = channels.map((channel) => toOptions(channel, webhookBase));
  if (!first) throw new Error("no channels");
  return {
    ...first,
    channelName: first.name,
    channelAccessToken: first.channelAccessToken ?? "",
    webhookUrl: first.webhookUrl ?? webhookBase,
    channels: rest,
  };
}

function toOptions(channel: ChannelConfig, webhookBase: string): ChannelOptions {
  const { token } = channel;
  const base = webhookBase.replace(/\/+$/, "");
  return {
    name: channel.name,
    channelSecret: channel.channelSecret,
    ...(token.kind === "static" ? { channelAccessToken: token.channelAccessToken } : {}),
    ...(token.kind !== "static" ? { channelId: token.channelId } : {}),
    ...(token.kind === "v2.1"
      ? {
          assertionKeys: {
            [token.kid]: createPublicKey(readFileSync(token.privateKeyFile, "utf8"))
              .export({ type: "spki", format: "pem" })
              .toString(),
          },
        }
      : {}),
    webhookUrl: channel.name === DEFAULT_CHANNEL ? base : `${base}/${channel.name}`,
    bot: {
      userId: channel.botUserId ?? botUserIdFor(channel.channelSecret),
      displayName: `${channel.name} bot`,
    },
  };
}
