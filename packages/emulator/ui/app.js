import { api } from "./api.js";
import { mountChatHeader } from "./chat-header.js";
import { mountComposer } from "./composer.js";
import { mountLayout } from "./layout.js";
import { mountLogPanel, upsert } from "./log-panel.js";
import { mountMessages } from "./messages.js";
import { mountRichMenu } from "./rich-menu.js";
import { mountSidebar } from "./sidebar.js";
import { loadSelection, membersOf, saveSelection, store } from "./store.js";
import { connectStream } from "./stream.js";
import { showError } from "./toast.js";

const $ = (id) => document.getElementById(id);

function applyState(state) {
  if (!state || typeof state !== "object") return;
  if (state.bot) store.bot = { ...store.bot, ...state.bot };
  if (typeof state.webhookUrl === "string") store.webhookUrl = state.webhookUrl;
  if (Array.isArray(state.users)) store.users = state.users;
  if (Array.isArray(state.groups)) store.groups = state.groups;
  if (Array.isArray(state.rooms)) store.rooms = state.rooms;
  document.title = `${store.bot.displayName} · LINE emulator`;
  $("bot-name").textContent = store.bot.displayName;
  store.emit("state");
}

/** Keeps the selection valid: a known speaking user, and a chat that user belongs to. */
function normalizeSelection() {
  const known = (id) => store.users.some((u) => u.userId === id);
  if (!known(store.userId)) store.userId = store.users[0]?.userId ?? "";
  const chat = store.chat;
  const exists =
    chat &&
    (chat.type === "user"
      ? known(chat.id)
      : chat.type === "group"
        ? store.groups.some((g) => g.groupId === chat.id)
        : store.rooms.some((r) => r.roomId === chat.id));
  if (!exists) store.chat = store.userId ? { type: "user", id: store.userId } : undefined;
  else if (chat.type === "user") store.userId = chat.id;
  else if (!membersOf(chat).includes(store.userId))
    store.userId = membersOf(chat)[0] ?? store.userId;
}

async function select({ userId, chat }) {
  const before = store.chat?.id;
  if (chat) store.chat = chat;
  if (userId) {
    store.userId = userId;
    // Another user in a 1:1 chat means another chat; in a group, only the speaker changes.
    if (!chat && (store.chat?.type === "user" || !membersOf(store.chat).includes(userId))) {
      store.chat = { type: "user", id: userId };
    }
  }
  normalizeSelection();
  saveSelection();
  if (store.chat?.id !== before) {
    store.messages = [];
    store.unread.delete(store.chat?.id);
    store.emit("selection");
    await loadMessages();
  } else {
    store.emit("selection");
  }
}

async function loadMessages() {
  const chatId = store.chat?.id;
  if (!chatId) {
    store.messages = [];
    return store.emit("messages");
  }
  try {
    const messages = await api.messages(chatId);
    if (store.chat?.id !== chatId) return;
    store.messages = messages;
    store.emit("messages");
  } catch (error) {
    showError(error);
  }
}

async function loadLogs() {
  try {
    const [deliveries, apiCalls] = await Promise.all([api.deliveries(), api.apiCalls()]);
    store.deliveries = deliveries;
    store.apiCalls = apiCalls;
    store.emit("logs");
  } catch (error) {
    showError(error);
  }
}

let resyncing;
async function resync() {
  if (resyncing) return resyncing;
  resyncing = (async () => {
    try {
      applyState(await api.state());
      const before = store.chat?.id;
      normalizeSelection();
      if (store.chat?.id !== before) store.emit("selection");
      await Promise.all([loadMessages(), loadLogs()]);
    } catch (error) {
      showError(error);
    } finally {
      resyncing = undefined;
    }
  })();
  return resyncing;
}

function onStreamEvent(kind, data) {
  if (kind === "message") {
    if (data?.chatId === store.chat?.id) {
      upsert(store.messages, data);
      store.emit("messages");
    } else if (data?.from === "bot" && data.chatId) {
      store.unread.set(data.chatId, (store.unread.get(data.chatId) ?? 0) + 1);
      store.emit("unread");
    }
  } else if (kind === "delivery") {
    upsert(store.deliveries, data);
    store.emit("logs");
  } else if (kind === "api-call") {
    upsert(store.apiCalls, data);
    store.emit("logs");
  } else if (kind === "state") {
    if (data && Array.isArray(data.users)) {
      applyState(data);
      const before = store.chat?.id;
      normalizeSelection();
      if (store.chat?.id !== before) void select({});
    } else {
      void resync();
    }
  }
}

function setConnection(status) {
  const el = $("connection");
  el.dataset.status = status;
  el.textContent =
    { live: "live", polling: "polling", reconnecting: "reconnecting…" }[status] ?? status;
  el.title =
    status === "live"
      ? "Live updates from the emulator"
      : "The live stream is down; polling instead";
}

async function main() {
  mountSidebar($("sidebar"), { select });
  mountChatHeader($("chat-header"), { select });
  mountMessages($("messages"));
  const composer = mountComposer($("composer"));
  mountRichMenu($("rich-menu"));
  mountLogPanel($("log-panel"), { resync });
  mountLayout({
    sidebarButton: $("toggle-sidebar"),
    logsButton: $("toggle-logs"),
    backdrop: $("backdrop"),
    sidebar: $("sidebar"),
  });

  const saved = loadSelection();
  store.userId = saved.userId ?? "";
  store.chat = saved.chat;
  try {
    applyState(await api.state());
  } catch (error) {
    showError(error);
  }
  normalizeSelection();
  store.emit("selection");
  await Promise.all([loadMessages(), loadLogs()]);
  connectStream({ onEvent: onStreamEvent, onResync: resync, onStatus: setConnection });
  composer.focus();
  document.body.dataset.ready = "true";
}

main();
