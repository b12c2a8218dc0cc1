/** The LINE channel (one bot) an event came to, as its handlers see it. */
export interface Channel {
  /** Its name in CHANNELS_FILE; "default" for the single-channel setup (`LINE_CHANNEL_SECRET`, `LINE_CHANNEL_ACCESS_TOKEN`). */
  readonly name: string;
  /** The bot's user ID (a webhook's `destination`), once known. */
  readonly botUserId?: string;
}
