import type { ParseArgsConfig } from "node:util";

/** Every flag of `pnpm trigger`, with the help line shown for it. */
export const triggerOptions = {
  text: { type: "string", help: "text of a text or messageEdited event" },
  user: {
    type: "string",
    help: "user id or display name, in any case (a new name creates the user); default: the first user",
  },
  group: { type: "string", help: "group id or name (a new name creates a group with the user)" },
  room: { type: "string", help: "room id" },
  channel: {
    type: "string",
    help: "name of the channel whose bot gets the event (several channels)",
  },
  mention: {
    type: "boolean",
    help: "mention the bot (isSelf: true), putting @<bot name> before the text unless it is in it",
  },
  quote: { type: "string", help: "id of a message the text quotes" },
  emoji: { type: "string", multiple: true, help: "LINE emoji as index:length:productId:emojiId" },
  file: { type: "string", help: "path of the content for image, video, audio and file events" },
  "content-type": { type: "string", help: "MIME type of --file" },
  "file-name": { type: "string", help: "file name of a file event" },
  duration: { type: "string", help: "duration in ms of video and audio" },
  lat: { type: "string", help: "latitude of a location" },
  lng: { type: "string", help: "longitude of a location" },
  title: { type: "string", help: "title of a location" },
  address: { type: "string", help: "address of a location" },
  package: { type: "string", help: "sticker package id" },
  sticker: { type: "string", help: "sticker id" },
  data: { type: "string", help: "postback data" },
  param: {
    type: "string",
    multiple: true,
    help: "postback param as key=value (date, time, datetime, …)",
  },
  unblocked: { type: "boolean", help: "follow event after an unblock" },
  members: { type: "string", help: "comma-separated user ids for memberJoined/memberLeft" },
  "message-id": { type: "string", help: "message id for unsend and messageEdited" },
  "tracking-id": { type: "string", help: "trackingId of the bot's video for videoPlayComplete" },
  kind: {
    type: "string",
    help: "beacon: enter, banner or stay; membership: joined, left or renewed; module: attached or detached",
  },
  hwid: { type: "string", help: "hardware id of the beacon (10 hex digits)" },
  dm: { type: "string", help: "device message of the beacon, as hex" },
  "link-token": {
    type: "string",
    help: "link token for accountLink (default: the user's newest one the bot issued)",
  },
  nonce: { type: "string", help: "nonce of an accountLink event (default: a random one)" },
  "membership-id": { type: "string", help: "membership id of a membership event" },
  "bot-id": { type: "string", help: "botId of a module event (default: the channel's bot)" },
  scope: { type: "string", multiple: true, help: "scope of an attached module event" },
  "expire-at": { type: "string", help: "chat control end (epoch ms) of an activated event" },
  "delivery-data": {
    type: "string",
    help: "delivery event's data: a hashed phone number or X-Line-Delivery-Tag",
  },
  standby: { type: "boolean", help: "send in standby mode (no reply token)" },
  redeliver: { type: "boolean", help: "also send a redelivery (isRedelivery: true)" },
  duplicates: { type: "string", help: "send N extra identical copies" },
  delay: { type: "string", help: "hold the webhook back N ms" },
  wait: {
    type: "string",
    help: "wait up to SECONDS for the bot to finish the event, printing what it sends for it",
  },
  url: {
    type: "string",
    help: "emulator URL (default: $EMULATOR_URL, else the running pnpm dev's, else http://127.0.0.1:8090)",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
} as const satisfies Record<
  string,
  { type: "string" | "boolean"; multiple?: boolean; short?: string; help: string }
>;

export const parseArgsOptions = Object.fromEntries(
  Object.entries(triggerOptions).map(([name, { help: _help, ...option }]) => [name, option]),
) as NonNullable<ParseArgsConfig["options"]>;
