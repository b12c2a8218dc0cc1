import type { Platform } from "../core/platform.ts";
import { EmulatorError } from "../errors.ts";
import type { WebhookDispatcher } from "../webhook/dispatcher.ts";
import { buildEvent } from "./build-event.ts";
import type { EventInput } from "./event-input.ts";

/** The chat a chat id names, as event input: a user's one-to-one chat, a group or a room. */
function chatOf(platform: Platform, chatId: string): Pick<EventInput, "from" | "chat"> {
  if (platform.world.groups.has(chatId)) return { chat: { type: "group", groupId: chatId } };
  if (platform.world.rooms.has(chatId)) return { chat: { type: "room", roomId: chatId } };
  return { from: chatId, chat: { type: "user" } };
}

/**
 * Sends one channel the event LINE itself sends when an API call changes its situation (a module
 * channel attached, or taking or giving back a chat), as the control API would build it.
 */
export function sendPlatformEvent(
  platform: Platform,
  dispatcher: WebhookDispatcher,
  channel: string,
  input: Omit<EventInput, "channel" | "from" | "chat"> & { chatId?: string },
) {
  const { chatId, ...rest } = input;
  const event: EventInput = {
    ...rest,
    channel,
    ...(chatId === undefined ? {} : chatOf(platform, chatId)),
  };
  try {
    dispatcher.dispatch([buildEvent(platform, event, "active").event], {}, channel);
  } catch (error) {
    // An event LINE could not send (a chat with a user who blocked the bot): the call that caused
    // it keeps its own answer, and no webhook goes out.
    if (!(error instanceof EmulatorError)) throw error;
  }
}
