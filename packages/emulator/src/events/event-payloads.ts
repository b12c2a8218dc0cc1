import type { Platform } from "../core/platform.ts";
import { EmulatorError, errorCodes } from "../errors.ts";
import type { EventInput } from "./event-input.ts";

type Payload = Record<string, unknown>;

const invalid = (message: string) => new EmulatorError(errorCodes.invalidInput, message);

/** A LINE Beacon hardware id for events that name none (any 10 hex digits will do). */
const sampleHwid = "d41d8cd98f";
/** What LINE lists in an attached event when the account's admin allowed sending and receiving. */
const defaultScopes = ["message:send", "message:receive"];
/** How long chat control lasts in an activated event that names no end. */
const defaultControlMs = 60 * 60_000;

/** videoPlayComplete: the user watched to the end a video the bot sent with this trackingId. */
function videoPlayComplete(platform: Platform, input: EventInput, chatId: string): Payload {
  const { trackingId } = input;
  if (!trackingId) throw invalid("videoPlayComplete needs the trackingId of the bot's video");
  const sent = platform.activity
    .messages(chatId)
    .some(
      (m) => m.from === "bot" && m.message.type === "video" && m.message.trackingId === trackingId,
    );
  if (!sent) throw invalid(`the bot sent no video with trackingId ${trackingId} to ${chatId}`);
  return { videoPlayComplete: { trackingId } };
}

/**
 * membership: the user joined, left or renewed one of the channel's plans (set up with
 * `POST /emulator/memberships`); the subscriptions the Messaging API reports change with it.
 */
function membership(platform: Platform, input: EventInput, userId: string, now: number): Payload {
  const { membershipId } = input;
  if (membershipId === undefined) throw invalid("membership needs membershipId");
  const type = input.membershipType ?? "joined";
  const memberships = platform.memberships.of(platform.channels.get(input.channel).name);
  if (!memberships.plans.has(membershipId))
    throw invalid(`the channel has no membership plan ${membershipId}`);
  const subscribed = memberships.members(membershipId).some((s) => s.userId === userId);
  if (type === "joined") {
    if (subscribed) throw invalid(`${userId} already subscribes to membership ${membershipId}`);
    memberships.join(membershipId, userId, now);
  } else {
    if (!subscribed) throw invalid(`${userId} does not subscribe to membership ${membershipId}`);
    if (type === "left") memberships.leave(membershipId, userId);
  }
  return { membership: { type, membershipId } };
}

function moduleChange(platform: Platform, input: EventInput): Payload {
  const botId = input.botId ?? platform.channels.get(input.channel).bot.userId;
  if (input.moduleType === "detached") {
    if (input.scopes) throw invalid("scopes go only with an attached module event");
    return { module: { type: "detached", botId, reason: "bot_deleted" } };
  }
  return { module: { type: "attached", botId, scopes: input.scopes ?? defaultScopes } };
}

function activated(input: EventInput, now: number): Payload {
  const expireAt = input.expireAt ?? now + defaultControlMs;
  if (expireAt <= now) throw invalid("expireAt must be later than the event");
  return { chatControl: { expireAt } };
}

/**
 * The type-specific part of the events beyond messages and chat membership, checked against the
 * emulated world where LINE would (a video the bot really sent); undefined for other types.
 */
export function eventPayload(
  platform: Platform,
  input: EventInput,
  at: { chatId: string; userId: string; now: number },
): Payload | undefined {
  const { chatId, userId, now } = at;
  switch (input.type) {
    case "videoPlayComplete":
      return videoPlayComplete(platform, input, chatId);
    case "beacon":
      return {
        beacon: {
          hwid: input.hwid ?? sampleHwid,
          type: input.beaconType ?? "enter",
          ...(input.dm ? { dm: input.dm } : {}),
        },
      };
    case "membership":
      return membership(platform, input, userId, now);
    case "module":
      return moduleChange(platform, input);
    case "activated":
      return activated(input, now);
    case "delivery":
      if (!input.deliveryData) throw invalid("delivery needs deliveryData");
      return { delivery: { data: input.deliveryData } };
    default:
      return undefined;
  }
}
