import { formatTime, h } from "./dom.js";
import { renderMessage } from "./render/index.js";
import { hasLocalContent } from "./render/media.js";
import { sendAsUser } from "./send.js";
import { store, userName } from "./store.js";

/**
 * The message list of the open chat: the bot and other members on the left, the speaking user
 * on the right, with times, the bot's name, and a badge saying how each bot message came.
 */
export function mountMessages(list) {
  const rendered = new Map();

  function render() {
    const nearBottom = pinned || list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const nodes = [];
    let lastDay = "";
    if (!store.chat) {
      nodes.push(h("div", { class: "empty-chat" }, "Choose or create a user to start chatting."));
    }
    for (const message of store.messages) {
      const day = new Date(message.sentAt).toDateString();
      if (day !== lastDay && day !== "Invalid Date") {
        nodes.push(h("div", { class: "day-separator" }, h("span", {}, day)));
        lastDay = day;
      }
      const mine = message.from === "user" && message.userId === store.userId;
      const key = [
        message.id,
        mine,
        message.unsent,
        message.edited,
        message.message?.text,
        store.bot.displayName,
        hasLocalContent(message.id),
      ].join("|");
      let node = rendered.get(message.id);
      if (!node || node.dataset.key !== key) {
        node = row(message, mine);
        node.dataset.key = key;
        rendered.set(message.id, node);
      }
      nodes.push(node);
    }
    if (store.chat && nodes.length === 0) {
      nodes.push(h("div", { class: "empty-chat" }, `Say hello to ${store.bot.displayName}.`));
    }
    list.replaceChildren(...nodes);
    if (nearBottom || list.dataset.chat !== store.chat?.id) list.scrollTop = list.scrollHeight;
    list.dataset.chat = store.chat?.id ?? "";
  }

  // Stay at the newest message while the list grows or the composer (quick replies) resizes it.
  let pinned = true;
  list.addEventListener("scroll", () => {
    pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  });
  new ResizeObserver(() => {
    if (pinned) list.scrollTop = list.scrollHeight;
  }).observe(list);

  store.on("messages", render);
  store.on("selection", () => {
    rendered.clear();
    render();
  });
  store.on("state", render);
  render();
}

function row(message, mine) {
  const fromBot = message.from === "bot";
  const side = fromBot || !mine ? "left" : "right";
  const testid = fromBot ? "message-bot" : "message-user";
  const { content, inBubble } = message.unsent
    ? { content: h("div", { class: "unsent" }, "This message was unsent"), inBubble: true }
    : renderMessage(message.message ?? {}, { fromBot });
  const body = inBubble
    ? h(
        "div",
        { class: ["bubble", fromBot ? "bubble-bot" : "bubble-user", mine && "mine"] },
        content,
      )
    : content;
  const name = fromBot
    ? (message.message?.sender?.name ?? store.bot.displayName)
    : userName(message.userId);

  const meta = h(
    "div",
    { class: "meta" },
    fromBot && message.via
      ? h(
          "span",
          {
            class: `via-badge via-${message.via}`,
            dataset: { testid: "via-badge" },
            title: `Sent with the ${message.via} API`,
          },
          message.via,
        )
      : null,
    message.postback
      ? h(
          "span",
          {
            class: "via-badge via-postback",
            dataset: { testid: "postback-badge" },
            title: `A postback's displayText (data: ${message.postback.data}); no message event was sent`,
          },
          "postback",
        )
      : null,
    message.scheduledFor
      ? h(
          "span",
          {
            class: "via-badge via-scheduled",
            dataset: { testid: "scheduled-badge" },
            title: `Scheduled work, due ${isoTime(message.scheduledFor)}`,
          },
          `scheduled ${formatTime(message.scheduledFor)}`,
        )
      : null,
    message.edited && !message.unsent ? h("span", { class: "edited" }, "edited") : null,
    h("time", { datetime: isoTime(message.sentAt) }, formatTime(message.sentAt)),
    mine && !message.unsent && !message.postback ? ownMessageTools(message) : null,
  );

  return h(
    "div",
    {
      class: ["message", `message-${side}`, fromBot ? "from-bot" : "from-user"],
      dataset: {
        testid,
        messageId: message.id,
        type: message.message?.type ?? "",
        via: message.via ?? "",
      },
    },
    side === "left" ? avatar(name, fromBot, message.message?.sender?.iconUrl) : null,
    h(
      "div",
      { class: "message-column" },
      side === "left" ? h("div", { class: "sender-name" }, name) : null,
      h("div", { class: "message-line" }, body, meta),
    ),
  );
}

function avatar(name, fromBot, iconUrl) {
  const initial = (name || "?").trim().charAt(0).toUpperCase() || "?";
  const el = h(
    "div",
    { class: ["avatar", fromBot ? "avatar-bot" : "avatar-user"], "aria-hidden": "true" },
    initial,
  );
  if (iconUrl) {
    const img = h("img", { src: iconUrl, alt: "" });
    img.addEventListener("error", () => img.remove());
    el.append(img);
  }
  return el;
}

/** Unsend, and in groups (the only place LINE sends messageEdited) edit a text message. */
function ownMessageTools(message) {
  const messageId = message.message?.id ?? message.id;
  const tool = (label, testid, title, onclick) =>
    h("button", { type: "button", class: "msg-tool", title, dataset: { testid }, onclick }, label);
  return h(
    "span",
    { class: "msg-tools" },
    store.chat?.type === "group" && message.message?.type === "text"
      ? tool("Edit", "edit", "Edit this message (messageEdited event)", () => {
          const text = window.prompt("Edit the message", message.message.text ?? "");
          if (text !== null && text !== message.message.text)
            sendAsUser("messageEdited", { messageId, text });
        })
      : null,
    tool("Unsend", "unsend", "Unsend this message (unsend event)", () =>
      sendAsUser("unsend", { messageId }),
    ),
  );
}

function isoTime(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
