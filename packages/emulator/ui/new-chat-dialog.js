import { api } from "./api.js";
import { h } from "./dom.js";
import { store } from "./store.js";
import { showError } from "./toast.js";

/**
 * With several channels, which bot the chat is with: a picker, shown only then. The choice is
 * kept in `store.channel`; events go to that channel's bot.
 */
function botPicker(channels) {
  if (channels.length < 2) return { field: null, apply: () => {} };
  const picker = h(
    "select",
    { dataset: { testid: "new-chat-bot" } },
    channels.map((channel) =>
      h(
        "option",
        { value: channel.name, selected: channel.name === (store.channel ?? channels[0].name) },
        channel.bot.displayName,
      ),
    ),
  );
  return {
    field: h("label", { class: "field" }, "Bot ", picker),
    apply: () => {
      const chosen = channels.find((channel) => channel.name === picker.value);
      if (!chosen) return;
      store.channel = chosen.name;
      store.bot = { ...store.bot, ...chosen.bot };
      store.emit("state");
    },
  };
}

/** Creates a group (named) or a room from a choice of users, then opens it. */
export async function openNewChatDialog(kind, select) {
  if (store.users.length === 0) return showError("Create a user first.");
  const bot = botPicker((await api.state().catch(() => ({}))).channels ?? []);
  const nameInput = h("input", {
    type: "text",
    value: kind === "group" ? "My group" : "",
    required: true,
    maxlength: 50,
    dataset: { testid: "group-name" },
  });
  // The speaking user and the next two users, to start with.
  const others = store.users.filter((u) => u.userId !== store.userId).slice(0, 2);
  const defaults = [store.userId, ...others.map((u) => u.userId)];
  const boxes = store.users.map((user) =>
    h("input", {
      type: "checkbox",
      value: user.userId,
      checked: defaults.includes(user.userId),
    }),
  );
  const dialog = h(
    "dialog",
    { class: "dialog", dataset: { testid: `new-${kind}-dialog` } },
    h(
      "form",
      { method: "dialog" },
      h("h3", {}, kind === "group" ? "New group" : "New room"),
      bot.field,
      kind === "group" ? h("label", { class: "field" }, "Name ", nameInput) : null,
      h(
        "fieldset",
        { class: "members" },
        h("legend", {}, "Members"),
        store.users.map((user, i) => h("label", {}, boxes[i], ` ${user.displayName}`)),
      ),
      h(
        "menu",
        { class: "dialog-buttons" },
        h(
          "button",
          { type: "button", onclick: (event) => event.target.closest("dialog").close("cancel") },
          "Cancel",
        ),
        h(
          "button",
          { value: "ok", class: "primary", dataset: { testid: `new-${kind}-create` } },
          "Create",
        ),
      ),
    ),
  );
  dialog.addEventListener("close", async () => {
    dialog.remove();
    if (dialog.returnValue !== "ok") return;
    const memberIds = boxes.filter((b) => b.checked).map((b) => b.value);
    if (memberIds.length === 0) return showError("Choose at least one member.");
    bot.apply();
    try {
      if (kind === "group") {
        const group = await api.createGroup(nameInput.value.trim() || "Group", memberIds);
        if (!store.groups.some((g) => g.groupId === group.groupId)) store.groups.push(group);
        select({
          chat: { type: "group", id: group.groupId },
          userId: memberIds.includes(store.userId) ? store.userId : memberIds[0],
        });
      } else {
        const room = await api.createRoom(memberIds);
        if (!store.rooms.some((r) => r.roomId === room.roomId)) store.rooms.push(room);
        select({
          chat: { type: "room", id: room.roomId },
          userId: memberIds.includes(store.userId) ? store.userId : memberIds[0],
        });
      }
    } catch (error) {
      showError(error);
    }
  });
  document.body.append(dialog);
  dialog.showModal();
}
