import { api } from "./api.js";
import { h } from "./dom.js";
import { icon } from "./icons.js";
import { openNewChatDialog } from "./new-chat-dialog.js";
import { store, userName } from "./store.js";
import { showError } from "./toast.js";

/**
 * Who you are (pick or create a user) and the chats: the 1:1 chat with the bot, then the
 * groups and rooms.
 */
export function mountSidebar(root, { select }) {
  const userSelect = h("select", {
    id: "user-select",
    "aria-label": "You are",
    dataset: { testid: "user-select" },
    onchange: () => select({ userId: userSelect.value }),
  });
  const newUserInput = h("input", {
    type: "text",
    placeholder: "New user's name",
    maxlength: 20,
    "aria-label": "New user's name",
    dataset: { testid: "new-user-name" },
  });
  const newUserForm = h(
    "form",
    {
      class: "inline-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const displayName = newUserInput.value.trim();
        if (!displayName) return newUserInput.focus();
        try {
          const user = await api.createUser(displayName);
          newUserInput.value = "";
          if (!store.users.some((u) => u.userId === user.userId)) store.users.push(user);
          select({ userId: user.userId, chat: { type: "user", id: user.userId } });
        } catch (error) {
          showError(error);
        }
      },
    },
    newUserInput,
    h("button", { type: "submit", dataset: { testid: "new-user-create" } }, "Add"),
  );
  const chatList = h("nav", {
    class: "chat-list",
    "aria-label": "Chats",
    dataset: { testid: "chat-list" },
  });

  root.append(
    h(
      "div",
      { class: "sidebar-section" },
      h("label", { for: "user-select", class: "section-label" }, "You are"),
      userSelect,
      newUserForm,
    ),
    h(
      "div",
      { class: "sidebar-section chats-header" },
      h("span", { class: "section-label" }, "Chats"),
      h(
        "button",
        {
          type: "button",
          class: "small",
          dataset: { testid: "new-group" },
          onclick: () => openNewChatDialog("group", select),
        },
        "+ Group",
      ),
      h(
        "button",
        {
          type: "button",
          class: "small",
          dataset: { testid: "new-room" },
          onclick: () => openNewChatDialog("room", select),
        },
        "+ Room",
      ),
    ),
    chatList,
  );

  function render() {
    userSelect.replaceChildren(
      ...store.users.map((user) =>
        h(
          "option",
          { value: user.userId, selected: user.userId === store.userId },
          user.displayName,
        ),
      ),
    );
    if (store.users.length === 0) userSelect.append(h("option", { value: "" }, "(no users yet)"));
    const items = [];
    if (store.userId) {
      items.push(
        chatItem(
          { type: "user", id: store.userId },
          `${store.bot.displayName}`,
          `1:1 chat as ${userName(store.userId)}`,
          "chat-item-user",
        ),
      );
    }
    for (const group of store.groups) {
      items.push(
        chatItem(
          { type: "group", id: group.groupId },
          group.groupName,
          `Group · ${group.memberIds.length} members`,
          "chat-item-group",
        ),
      );
    }
    for (const room of store.rooms) {
      items.push(
        chatItem(
          { type: "room", id: room.roomId },
          room.memberIds.map(userName).join(", "),
          "Room",
          "chat-item-room",
        ),
      );
    }
    chatList.replaceChildren(...items);
  }

  function chatItem(chat, title, subtitle, testid) {
    const active = store.chat?.type === chat.type && store.chat?.id === chat.id;
    const unread = store.unread.get(chat.id) ?? 0;
    return h(
      "button",
      {
        type: "button",
        class: ["chat-item", active && "active"],
        "aria-current": active ? "true" : undefined,
        dataset: { testid, chatId: chat.id },
        onclick: () => select({ chat }),
      },
      h(
        "span",
        { class: `chat-icon chat-icon-${chat.type}` },
        icon(chat.type === "user" ? "bot" : chat.type),
      ),
      h(
        "span",
        { class: "chat-item-text" },
        h("span", { class: "chat-item-title" }, title),
        h("span", { class: "chat-item-subtitle" }, subtitle),
      ),
      unread ? h("span", { class: "unread", title: `${unread} new` }, String(unread)) : null,
    );
  }

  store.on("state", render);
  store.on("selection", render);
  store.on("unread", render);
  render();
}
