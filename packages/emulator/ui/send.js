import { api } from "./api.js";
import { chatInput, store } from "./store.js";
import { showError } from "./toast.js";

/**
 * Sends an event as the speaking user in the open chat (`POST /emulator/events`).
 * Resolves with the server's answer, or undefined after showing the error.
 */
export async function sendAsUser(type, fields = {}) {
  if (!store.chat || !store.userId) return undefined;
  try {
    return await api.sendEvent({
      type,
      from: store.userId,
      chat: chatInput(store.chat),
      // The bot picked when the chat was started (several channels); else the default one.
      ...(store.channel ? { channel: store.channel } : {}),
      ...fields,
    });
  } catch (error) {
    showError(error);
    return undefined;
  }
}

/** Sends an event about the chat itself (join, leave), with no speaking user. */
export async function sendChatEvent(type, fields = {}) {
  if (!store.chat) return undefined;
  try {
    return await api.sendEvent({
      type,
      chat: chatInput(store.chat),
      ...(store.channel ? { channel: store.channel } : {}),
      ...fields,
    });
  } catch (error) {
    showError(error);
    return undefined;
  }
}

/**
 * A postback. With a displayText, LINE shows that text as the user's message (no message event
 * is sent); the emulator keeps it in the chat's history.
 */
export function sendPostback(data, { displayText, params } = {}) {
  const fields = { data };
  if (params) fields.params = params;
  if (displayText) fields.displayText = displayText;
  return sendAsUser("postback", fields);
}
