import { h } from "./dom.js";
import { sendAsUser, sendChatEvent } from "./send.js";
import { chatTitle, membersOf, store, userName } from "./store.js";
import { toast } from "./toast.js";

/**
 * The open chat's title, who speaks (any member, in a group or room), and the events about the
 * chat itself: block and unblock in a 1:1 chat; the bot or a member joining or leaving a group
 * or room.
 */
export function mountChatHeader(root, { select }) {
  const title = h("h2", { class: "chat-title", dataset: { testid: "chat-title" } });
  const subtitle = h("div", { class: "chat-subtitle", dataset: { testid: "chat-subtitle" } });
  const speaker = h("select", {
    "aria-label": "Speaking as",
    dataset: { testid: "speaker-select" },
    onchange: () => select({ userId: speaker.value }),
  });
  const speakerLabel = h("label", { class: "speaker" }, "Speaking as ", speaker);
  const status = h("span", { class: "chat-status", dataset: { testid: "chat-status" } });
  const actions = h("div", { class: "chat-actions" });
  root.append(h("div", { class: "chat-heading" }, title, subtitle), status, speakerLabel, actions);

  const done = (what) => (result) => result && toast(`${what} sent`);
  // Only a link that worked carries a reply token (LINE leaves it out of a failed one).
  const linkDone = (result) =>
    result &&
    toast(
      result.replyToken
        ? "accountLink sent: linked"
        : "accountLink sent: failed (the bot issued no usable link token)",
    );
  const button = (label, testid, onclick, hint) =>
    h(
      "button",
      { type: "button", class: "small", title: hint, dataset: { testid }, onclick },
      label,
    );

  function render() {
    const chat = store.chat;
    title.textContent = chat ? chatTitle(chat) : "No chat";
    const members = membersOf(chat);
    subtitle.textContent = subtitleOf(chat, members);
    speakerLabel.hidden = !chat || chat.type === "user";
    speaker.replaceChildren(
      ...members.map((id) =>
        h("option", { value: id, selected: id === store.userId }, userName(id)),
      ),
    );
    if (!chat) return actions.replaceChildren();
    if (chat.type === "user") {
      const friend = store.users.find((u) => u.userId === chat.id)?.isFriend !== false;
      status.textContent = friend ? "" : "blocked";
      actions.replaceChildren(
        ...(friend
          ? [
              button(
                "Beacon",
                "beacon",
                () => sendAsUser("beacon").then(done("beacon (enter)")),
                "beacon event: the user comes near a LINE Beacon",
              ),
              button(
                "Link account",
                "account-link",
                () => sendAsUser("accountLink").then(linkDone),
                "accountLink event with the newest link token the bot issued for this user",
              ),
              button(
                "Block",
                "unfollow",
                () => sendAsUser("unfollow").then(done("unfollow")),
                "unfollow event",
              ),
            ]
          : // The emulator's users start as friends, so one who is not has blocked the bot.
            [
              button(
                "Unblock",
                "unblock",
                () => sendAsUser("follow", { isUnblocked: true }).then(done("follow (unblocked)")),
                "follow event with isUnblocked: true",
              ),
            ]),
      );
      return;
    }
    const holder =
      chat.type === "group"
        ? store.groups.find((g) => g.groupId === chat.id)
        : store.rooms.find((r) => r.roomId === chat.id);
    const botIn = holder?.botIsMember !== false;
    status.textContent = botIn ? "" : "bot not in chat";
    const outsiders = store.users.filter((u) => !members.includes(u.userId));
    const joiner = h(
      "select",
      {
        "aria-label": "Add a member",
        dataset: { testid: "member-join-select" },
        disabled: !botIn || outsiders.length === 0,
        onchange: async () => {
          const userId = joiner.value;
          if (userId)
            await sendChatEvent("memberJoined", { memberIds: [userId] }).then(done("memberJoined"));
        },
      },
      h("option", { value: "" }, outsiders.length ? "Add member…" : "No one to add"),
      outsiders.map((u) => h("option", { value: u.userId }, u.displayName)),
    );
    actions.replaceChildren(
      botIn
        ? button(
            "Remove bot",
            "leave",
            () => sendChatEvent("leave").then(done("leave")),
            "leave event: the bot leaves",
          )
        : button(
            "Invite bot",
            "join",
            () => sendChatEvent("join").then(done("join")),
            "join event: the bot joins",
          ),
      joiner,
      button(
        "Leave",
        "member-left",
        () => sendChatEvent("memberLeft", { memberIds: [store.userId] }).then(done("memberLeft")),
        "memberLeft event: the speaking user leaves",
      ),
    );
    for (const el of actions.querySelectorAll("[data-testid=member-left]"))
      el.disabled = !botIn || members.length <= 1;
  }

  store.on("state", render);
  store.on("selection", render);
  render();
}

/** A 1:1 chat shows whom you talk to (the bot and its handle); a group or room, who is in it. */
function subtitleOf(chat, members) {
  if (!chat || chat.type === "user") {
    return [store.bot.displayName, store.bot.basicId].filter(Boolean).join(" ");
  }
  const names = members.map(userName).join(", ");
  const count = `${members.length} ${members.length === 1 ? "member" : "members"}`;
  return chat.type === "group" ? `${count}: ${names}` : `Room · ${count}`;
}
