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
    return await api.sendEvent({ type, chat: chatInput(store.chat), ...fields });
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
  const result = await sendAsUser("postback", fields);
  if (result && displayText) {
    store.echoes.push({
      id: `echo-${result.webhookEventId}`,
      chatId: store.chat.id,
      from: "user",
      userId: store.userId,
      message: { type: "text", text: displayText },
      sentAt: new Date().toISOString(),
      webhookEventId: result.webhookEventId,
      echo: true,
    });
    store.emit("messages");
  }
  return result;
}
