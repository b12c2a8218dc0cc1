import type { EventInput, EventType } from "./event-input.ts";

/**
 * What LINE's documentation says about each event the emulator sends: whom its `source` names,
 * whether it carries a reply token, where it can happen, and whether the user must be a friend.
 */
export interface EventKind {
  /**
   * `user`: the acting user (and, in a group or room, the chat with the user's id); `chat`: the
   * chat alone, with no user in a group or room; `none`: no `source` at all.
   */
  source: "user" | "chat" | "none";
  /** A reply token comes with the event (in active mode). */
  replyable: boolean;
  /** `oneToOne`: only in a user's chat with the bot; `groupOrRoom`: only in groups and rooms. */
  where: "any" | "oneToOne" | "groupOrRoom" | "group";
  /** The user must have the bot as a friend (not blocked) for the event to happen. */
  friendOnly: boolean;
  /** Module channel events are always `active` (partner docs, module webhook events). */
  activeOnly: boolean;
}

const kind = (overrides: Partial<EventKind>): EventKind => ({
  source: "user",
  replyable: false,
  where: "any",
  friendOnly: true,
  activeOnly: false,
  ...overrides,
});

const message = kind({ replyable: true });

export const eventKinds: Record<EventType, EventKind> = {
  text: message,
  image: message,
  video: message,
  audio: message,
  file: message,
  location: message,
  sticker: message,
  postback: kind({ replyable: true }),
  follow: kind({ replyable: true, where: "oneToOne", friendOnly: false }),
  unfollow: kind({ where: "oneToOne" }),
  join: kind({ source: "chat", replyable: true, where: "groupOrRoom" }),
  leave: kind({ source: "chat", where: "groupOrRoom" }),
  memberJoined: kind({ source: "chat", replyable: true, where: "groupOrRoom" }),
  memberLeft: kind({ source: "chat", where: "groupOrRoom" }),
  unsend: kind({}),
  messageEdited: kind({ replyable: true, where: "group" }),
  videoPlayComplete: kind({ replyable: true, where: "oneToOne" }),
  beacon: kind({ replyable: true, where: "oneToOne" }),
  // The reply token (and the source) are left out when linking fails: see account-link.ts.
  accountLink: kind({ replyable: true, where: "oneToOne" }),
  membership: kind({ replyable: true, where: "oneToOne" }),
  module: kind({ source: "none", activeOnly: true }),
  activated: kind({ source: "chat", activeOnly: true }),
  deactivated: kind({ source: "chat", activeOnly: true }),
  botSuspended: kind({ source: "none", activeOnly: true }),
  botResumed: kind({ source: "none", activeOnly: true }),
  // LINE notification messages reach users who are not friends of the bot.
  delivery: kind({ where: "oneToOne", friendOnly: false }),
};

/** Input fields that belong to one event type: given with any other, they are a mistake. */
export const fieldOwners: Partial<Record<keyof EventInput, EventType>> = {
  displayText: "postback",
  trackingId: "videoPlayComplete",
  hwid: "beacon",
  beaconType: "beacon",
  dm: "beacon",
  linkToken: "accountLink",
  nonce: "accountLink",
  membershipType: "membership",
  membershipId: "membership",
  moduleType: "module",
  botId: "module",
  scopes: "module",
  expireAt: "activated",
  deliveryData: "delivery",
};
