import type { LineClient } from "@linefleet/line-client";

/** A LINE channel (one bot) the deployment serves. */
export interface Channel {
  /** Its name in CHANNELS_FILE; "default" for the single-channel setup (`LINE_CHANNEL_SECRET`, `LINE_CHANNEL_ACCESS_TOKEN`). */
  readonly name: string;
  /** The bot's user ID (a webhook's `destination`), once known. */
  readonly botUserId?: string;
}

/** Where an event was addressed: the channel its webhook came to (when known) and the bot. */
export interface ChannelAddress {
  /** The channel's name, as the ingress recorded it with the event. */
  channel?: string | undefined;
  /** The bot's user ID the webhook was sent to. */
  destination: string;
}

/** An event's channel and the LINE client that answers for it (with that channel's token). */
export interface ResolvedChannel {
  channel: Channel;
  client: LineClient;
}

/**
 * Which channel an event belongs to and the client that answers for it, looked up per event.
 * May be async (a managed token is fetched before the handlers run); a rejection fails the event
 * like a handler's error would.
 */
export type ChannelResolver = (
  address: ChannelAddress,
) => ResolvedChannel | Promise<ResolvedChannel>;

/** Every event belongs to the one channel, answered with the one client. */
export function singleChannel(client: LineClient, name = "default"): ChannelResolver {
  const channel: Channel = { name };
  return () => ({ channel, client });
}
