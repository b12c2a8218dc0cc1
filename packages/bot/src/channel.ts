import type { LineClient } from "@linefleet/line-client";

/** A LINE channel (one bot) the deployment serves. */
export interface Channel {
  /** "default" for the single-channel setup (`LINE_CHANNEL_SECRET`, `LINE_CHANNEL_ACCESS_TOKEN`). */
  readonly name: string;
  /** The bot's user ID (a webhook's `destination`), once known. */
  readonly botUserId?: string;
}

/** Which channel an event's `destination` belongs to, and the LINE client that answers for it. */
export type ChannelResolver = (destination: string) => { channel: Channel; client: LineClient };

/** Every event belongs to the one channel, answered with the one client. */
export function singleChannel(client: LineClient, name = "default"): ChannelResolver {
  const channel: Channel = { name };
  return () => ({ channel, client });
}
