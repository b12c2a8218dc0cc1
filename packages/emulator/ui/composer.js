import { h } from "./dom.js";
import { rememberContent } from "./render/media.js";
import { hasQuickReplies, quickReplyBar, renderQuickReplies } from "./render/quick-reply.js";
import { sendAsUser } from "./send.js";
import { stickerArt } from "./sticker-art.js";
import { STICKER_PALETTE } from "./stickers.js";
import { markQuickRepliesUsed, quickRepliesUsed, store } from "./store.js";
import { showError } from "./toast.js";

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * The message composer: Enter sends, Shift+Enter breaks the line. The "+" tray sends a sticker,
 * an image or a location. Quick reply chips of the latest bot message sit above it.
 */
export function mountComposer(root) {
  const quickReplies = h("div", { class: "quick-reply-slot" });
  const input = h("textarea", {
    rows: 1,
    placeholder: "Enter a message",
    "aria-label": "Message",
    dataset: { testid: "composer-input" },
  });
  const sendButton = h(
    "button",
    { type: "submit", class: "send primary", dataset: { testid: "composer-send" } },
    "Send",
  );
  const tray = h("div", { class: "tray", hidden: true, dataset: { testid: "composer-tray" } });
  const trayButton = h(
    "button",
    {
      type: "button",
      class: "tray-toggle",
      "aria-label": "More",
      "aria-expanded": "false",
      dataset: { testid: "composer-more" },
      onclick: () => toggleTray(),
    },
    "+",
  );

  const form = h(
    "form",
    {
      class: "composer-row",
      onsubmit: (event) => {
        event.preventDefault();
        sendText();
      },
    },
    trayButton,
    input,
    sendButton,
  );
  root.append(quickReplies, tray, form);

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendText();
    }
    if (event.key === "Escape") toggleTray(false);
  });
  input.addEventListener("input", autosize);

  async function sendText() {
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    autosize();
    const result = await sendAsUser("text", { text });
    if (!result) input.value = text;
    input.focus();
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  }

  // --- tray: stickers, image, location ---
  let trayTab = "sticker";
  function toggleTray(open = tray.hidden, tab) {
    if (tab) trayTab = tab;
    tray.hidden = !open;
    trayButton.setAttribute("aria-expanded", String(open));
    if (open) renderTray();
  }

  const fileInput = h("input", {
    type: "file",
    accept: "image/*",
    hidden: true,
    dataset: { testid: "image-input" },
    onchange: () => sendImage(),
  });
  root.append(fileInput);

  async function sendImage() {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    if (file.size > MAX_IMAGE_BYTES) return showError("Images must be 10 MB or smaller.");
    const contentBase64 = await toBase64(file);
    const result = await sendAsUser("image", {
      contentBase64,
      contentType: file.type || "image/jpeg",
      fileName: file.name,
    });
    if (result?.messageId) rememberContent(result.messageId, URL.createObjectURL(file));
    store.emit("messages");
    toggleTray(false);
  }

  function renderTray() {
    const tabs = h(
      "div",
      { class: "tray-tabs", role: "tablist" },
      [
        ["sticker", "Stickers"],
        ["image", "Image"],
        ["location", "Location"],
      ].map(([id, label]) =>
        h(
          "button",
          {
            type: "button",
            role: "tab",
            class: ["tab", trayTab === id && "active"],
            "aria-selected": String(trayTab === id),
            dataset: { testid: `tray-${id}` },
            onclick: () => toggleTray(true, id),
          },
          label,
        ),
      ),
    );
    tray.replaceChildren(
      tabs,
      trayTab === "sticker" ? stickerPalette() : trayTab === "image" ? imagePane() : locationForm(),
    );
  }

  function stickerPalette() {
    return h(
      "div",
      { class: "sticker-palette" },
      STICKER_PALETTE.map((s) =>
        h(
          "button",
          {
            type: "button",
            class: "sticker-choice",
            title: `Sticker ${s.packageId}/${s.stickerId}`,
            dataset: { testid: "sticker-choice" },
            onclick: async () => {
              if (await sendAsUser("sticker", { packageId: s.packageId, stickerId: s.stickerId }))
                toggleTray(false);
            },
          },
          stickerArt(s.packageId, s.stickerId, { size: 44 }),
          h("span", { class: "sticker-ids" }, `${s.packageId}/${s.stickerId}`),
        ),
      ),
    );
  }

  function imagePane() {
    return h(
      "div",
      { class: "tray-pane" },
      h(
        "button",
        {
          type: "button",
          class: "primary",
          dataset: { testid: "image-pick" },
          onclick: () => fileInput.click(),
        },
        "Choose an image…",
      ),
      h("span", { class: "muted" }, " JPEG or PNG, sent to the bot as the message's content."),
    );
  }

  function locationForm() {
    const field = (name, label, value, attrs = {}) =>
      h(
        "label",
        { class: "field" },
        label,
        h("input", { name, value, ...attrs, dataset: { testid: `location-${name}` } }),
      );
    return h(
      "form",
      {
        class: "tray-pane location-form",
        onsubmit: async (event) => {
          event.preventDefault();
          const data = Object.fromEntries(new FormData(event.currentTarget));
          const fields = { latitude: Number(data.latitude), longitude: Number(data.longitude) };
          if (data.title) fields.title = data.title;
          if (data.address) fields.address = data.address;
          if (await sendAsUser("location", fields)) toggleTray(false);
        },
      },
      field("title", "Title", "Tokyo Tower", { maxlength: 100 }),
      field("address", "Address", "4-2-8 Shibakoen, Minato-ku, Tokyo", { maxlength: 100 }),
      field("latitude", "Latitude", "35.65861", {
        type: "number",
        step: "any",
        min: -90,
        max: 90,
        required: true,
      }),
      field("longitude", "Longitude", "139.74544", {
        type: "number",
        step: "any",
        min: -180,
        max: 180,
        required: true,
      }),
      h(
        "button",
        { type: "submit", class: "primary", dataset: { testid: "location-send" } },
        "Send location",
      ),
    );
  }

  // Actions such as a quick reply's camera or location button open the matching tray.
  document.addEventListener("composer:open", (event) => {
    if (event.detail === "image") fileInput.click();
    else toggleTray(true, event.detail);
  });

  // A rich menu postback with `inputOption: "openKeyboard"` opens the keyboard, with its text.
  document.addEventListener("composer:focus", (event) => {
    if (typeof event.detail === "string" && event.detail) input.value = event.detail;
    input.focus();
  });

  // As in LINE: the chips of the chat's latest message only, until the next message arrives
  // or one of them sends something (a camera, location or link chip alone keeps them).
  function renderQuickReplySlot() {
    const last = store.messages.at(-1);
    const show =
      last?.from === "bot" &&
      !last.unsent &&
      hasQuickReplies(last.message) &&
      !quickRepliesUsed(last.id);
    const onSent = () => {
      markQuickRepliesUsed(last.id);
      renderQuickReplySlot();
    };
    quickReplies.replaceChildren(
      ...(show ? [quickReplyBar(renderQuickReplies(last.message.quickReply, { onSent }))] : []),
    );
  }

  function renderEnabled() {
    const why = blockedReason();
    const disabled = !store.chat || !store.userId || Boolean(why);
    input.placeholder = why ?? "Enter a message";
    input.disabled = disabled;
    sendButton.disabled = disabled;
    trayButton.disabled = disabled;
  }

  let openChat = store.chat?.id;
  store.on("messages", renderQuickReplySlot);
  store.on("state", renderEnabled);
  store.on("selection", () => {
    renderQuickReplySlot();
    renderEnabled();
    toggleTray(false);
    // A newly opened chat takes the keyboard, as chat apps do.
    if (store.chat?.id !== openChat && !input.disabled && !document.querySelector("dialog[open]")) {
      input.focus();
    }
    openChat = store.chat?.id;
  });
  renderEnabled();
  return { focus: () => input.focus() };
}

/** Why the emulator would refuse a message in the open chat, as LINE would not deliver it. */
function blockedReason() {
  const chat = store.chat;
  if (!chat) return undefined;
  if (chat.type === "user") {
    const user = store.users.find((u) => u.userId === chat.id);
    return user?.isFriend === false
      ? `${user.displayName} blocked the bot. Unblock to chat.`
      : undefined;
  }
  const holder =
    chat.type === "group"
      ? store.groups.find((g) => g.groupId === chat.id)
      : store.rooms.find((r) => r.roomId === chat.id);
  return holder?.botIsMember === false
    ? "The bot is not in this chat. Invite it to chat."
    : undefined;
}

function toBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
