/**
 * The UI's whole state, in one place, with change notifications by topic:
 * "state" (users, groups, rooms, bot), "selection", "messages", "logs".
 */
const SAVED = "linefleet.emulator.selection";

export const store = {
  bot: { userId: "", displayName: "Bot", basicId: "" },
  webhookUrl: "",
  users: [],
  groups: [],
  rooms: [],
  /** Who speaks, and in which chat: `{type: "user"|"group"|"room", id}`. */
  userId: "",
  chat: undefined,
  /** Messages of the open chat, in order. */
  messages: [],
  /** Unread bot messages per chat id, for chats that are not open. */
  unread: new Map(),
  deliveries: [],
  apiCalls: [],
  listeners: new Map(),

  on(topic, listener) {
    if (!this.listeners.has(topic)) this.listeners.set(topic, new Set());
    this.listeners.get(topic).add(listener);
  },
  emit(topic) {
    for (const listener of this.listeners.get(topic) ?? []) listener(this);
  },
};

export const chatIdOf = (chat) => chat?.id;

export function chatInput(chat) {
  if (!chat || chat.type === "user") return { type: "user" };
  if (chat.type === "group") return { type: "group", groupId: chat.id };
  return { type: "room", roomId: chat.id };
}

export const userName = (userId) =>
  store.users.find((user) => user.userId === userId)?.displayName ?? userId ?? "";

export function chatTitle(chat) {
  if (!chat) return "";
  if (chat.type === "user") return `${store.bot.displayName} · ${userName(chat.id)}`;
  if (chat.type === "group") {
    const group = store.groups.find((g) => g.groupId === chat.id);
    return group?.groupName ?? chat.id;
  }
  const room = store.rooms.find((r) => r.roomId === chat.id);
  return room ? `Room: ${room.memberIds.map(userName).join(", ")}` : chat.id;
}

/** Users who may speak in a chat: its members, or the one user of a 1:1 chat. */
export function membersOf(chat) {
  if (!chat) return [];
  if (chat.type === "user") return [chat.id];
  const found =
    chat.type === "group"
      ? store.groups.find((g) => g.groupId === chat.id)
      : store.rooms.find((r) => r.roomId === chat.id);
  return found?.memberIds ?? [];
}

export function saveSelection() {
  try {
    localStorage.setItem(SAVED, JSON.stringify({ userId: store.userId, chat: store.chat }));
  } catch {
    // Private windows may refuse storage; the selection then lasts for this page only.
  }
}

export function loadSelection() {
  try {
    return JSON.parse(localStorage.getItem(SAVED) ?? "null") ?? {};
  } catch {
    return {};
  }
}

const USED_QUICK_REPLIES = "linefleet.emulator.usedQuickReplies";
/** Bot messages whose quick reply was used; kept for the tab, so a reload agrees. */
const usedQuickReplies = new Set(savedList(USED_QUICK_REPLIES));

export const quickRepliesUsed = (messageId) => usedQuickReplies.has(messageId);

export function markQuickRepliesUsed(messageId) {
  usedQuickReplies.add(messageId);
  // Only the newest few matter: chips show for a chat's latest message alone.
  const newest = [...usedQuickReplies].slice(-50);
  try {
    sessionStorage.setItem(USED_QUICK_REPLIES, JSON.stringify(newest));
  } catch {
    // Without storage the chips stay hidden until a reload only.
  }
}

function savedList(key) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) ?? "null");
    return Array.isArray(saved) ? saved : [];
  } catch {
    return [];
  }
}
