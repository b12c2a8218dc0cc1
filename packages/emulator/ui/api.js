/** Client for the emulator's control API (`/emulator/*`). */

async function call(method, path, body) {
  // The emulator takes only JSON for requests that change state (it refuses what a page on
  // another origin could send without a CORS preflight), so those always send a JSON body.
  const changes = method !== "GET";
  const response = await fetch(path, {
    method,
    headers: changes ? { "content-type": "application/json" } : {},
    body: changes ? JSON.stringify(body ?? {}) : undefined,
  });
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!response.ok) {
    const message =
      (data && typeof data === "object" && data.message) || text || response.statusText;
    const error = new Error(String(message));
    error.status = response.status;
    error.request = `${method} ${path}`;
    throw error;
  }
  return data;
}

/** Lists come as a bare array or wrapped in an object; accept both. */
const list = (data, key) => (Array.isArray(data) ? data : (data?.[key] ?? []));

export const api = {
  state: () => call("GET", "/emulator/state"),
  createUser: (displayName) => call("POST", "/emulator/users", { displayName }),
  createGroup: (groupName, memberIds) => call("POST", "/emulator/groups", { groupName, memberIds }),
  createRoom: (memberIds) => call("POST", "/emulator/rooms", { memberIds }),
  /** Sends an event as a user; answers `{webhookEventId, replyToken?, messageId?, deliveryId}`. */
  sendEvent: (input) => call("POST", "/emulator/events", input),
  messages: async (chatId) =>
    list(await call("GET", `/emulator/chats/${encodeURIComponent(chatId)}/messages`), "messages"),
  deliveries: async () => list(await call("GET", "/emulator/deliveries"), "deliveries"),
  apiCalls: async () => list(await call("GET", "/emulator/api-calls"), "apiCalls"),
  verify: () => call("POST", "/emulator/verify"),
  /** `{richMenu}`: the menu the user sees in the chat (`query` names the channel), or null. */
  richMenu: (userId, query = "") =>
    call("GET", `/emulator/users/${encodeURIComponent(userId)}/richmenu${query}`),
  /** A tap on a `richmenuswitch` area; answers `{status}` as LINE's postback reports it. */
  switchRichMenu: (userId, richMenuAliasId, channel) =>
    call("POST", `/emulator/users/${encodeURIComponent(userId)}/richmenu/switch`, {
      richMenuAliasId,
      ...(channel ? { channel } : {}),
    }),
  reset: () => call("POST", "/emulator/reset"),
};
