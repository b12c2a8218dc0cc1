import { type ChannelConfig, DEFAULT_CHANNEL } from "./channel-schema.ts";

/** Where the ingress serves a channel: `/webhook/<name>`, and `/webhook` for "default". */
export function webhookPathsOf(channel: Pick<ChannelConfig, "name">): string[] {
  const own = `/webhook/${channel.name}`;
  return channel.name === DEFAULT_CHANNEL ? ["/webhook", own] : [own];
}
