import { h } from "./dom.js";
import { sendAsUser, sendChatEvent } from "./send.js";
import { chatTitle, membersOf, store, userName } from "./store.js";
import { toast } from "./toast.js";

/**
 * The open chat's title, who speaks (any member, in a group or room), and the events about the
 * chat itself: follow/block in a 1:1 chat; the bot or a member joining or leaving a group.
 */
export function mountChatHeader(root, { select }) {
  const title = h("h2", { class: "chat-title", dataset: { testid: "chat-title" } });
  const subtitle = h("div", { class: "chat-subtitle" });
  const speaker = h("select", {
    "aria-label": "Speaking as",
    dataset: { testid: "speaker-select" },
    onchange: () => select({ userId: speaker.value }),
  });
  const speakerLabel = h("label", { class: "speaker" }, "Speaking as ", speaker);
  const actions = h("div", { class: "chat-actions" });
  root.append(h("div", { class: "chat-heading" }, title, subtitle), speakerLabel, actions);

  const done = (what) => (result) => result && toast(`${what} sent`);
  const button = (label, testid, onclick, hint) =>
    h(
      "button",
      { type: "button", class: "small", title: hint, dataset: { testid }, onclick },
      label,
    );

  function render() {
    const chat = store.chat;
    title.textContent = chat ? chatTitle(chat) : "No chat";
    subtitle.textContent = store.bot.basicId
      ? `${store.bot.displayName} ${store.bot.basicId}`
      : store.bot.displayName;
    const members = membersOf(chat);
    speakerLabel.hidden = !chat || chat.type === "user";
    speaker.replaceChildren(
      ...members.map((id) =>
        h("option", { value: id, selected: id === store.userId }, userName(id)),
      ),
    );
    if (!chat) return actions.replaceChildren();
    if (chat.type === "user") {
      actions.replaceChildren(
        button(
          "Add friend",
          "follow",
          () => sendAsUser("follow").then(done("follow")),
          "follow event",
        ),
        button(
          "Unblock",
          "unblock",
          () => sendAsUser("follow", { isUnblocked: true }).then(done("follow (unblocked)")),
          "follow event with isUnblocked",
        ),
        button(
          "Block",
          "unfollow",
          () => sendAsUser("unfollow").then(done("unfollow")),
          "unfollow event",
        ),
      );
    } else {
      actions.replaceChildren(
        button("Bot joins", "join", () => sendChatEvent("join").then(done("join")), "join event"),
        button(
          "Bot leaves",
          "leave",
          () => sendChatEvent("leave").then(done("leave")),
          "leave event",
        ),
        button(
          "I join",
          "member-joined",
          () =>
            sendChatEvent("memberJoined", { memberIds: [store.userId] }).then(done("memberJoined")),
          "memberJoined event for the speaking user",
        ),
        button(
          "I leave",
          "member-left",
          () => sendChatEvent("memberLeft", { memberIds: [store.userId] }).then(done("memberLeft")),
          "memberLeft event for the speaking user",
        ),
      );
    }
  }

  store.on("state", render);
  store.on("selection", render);
  render();
}
