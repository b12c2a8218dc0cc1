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
 * A postback whose action has a displayText: LINE shows that text as the user's message, but
 * no message event is sent. The text is kept here until the server shows a message for it.
 */
export async function sendPostback(data, { displayText, params } = {}) {
  const fields = { data };
  if (params) fields.params = params;
  const sentAt = Date.now();
  const result = await sendAsUser("postback", fields);
  if (result && displayText) {
    store.echoes.push({
      id: `echo-${result.webhookEventId}`,
      chatId: store.chat.id,
      from: "user",
      userId: store.userId,
      message: { type: "text", text: displayText },
      // The event's own time (a ULID starts with it), so the bot's answer sorts after it.
      sentAt: ulidTime(result.webhookEventId) ?? sentAt,
      webhookEventId: result.webhookEventId,
      echo: true,
    });
    store.emit("messages");
  }
  return result;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The millisecond timestamp a ULID begins with, or undefined for anything else. */
export function ulidTime(id) {
  if (typeof id !== "string" || !/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) return undefined;
  let time = 0;
  for (const char of id.slice(0, 10).toUpperCase()) time = time * 32 + CROCKFORD.indexOf(char);
  return time;
}
