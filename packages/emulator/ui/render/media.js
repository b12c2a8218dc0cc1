import { h } from "../dom.js";
import { icon } from "../icons.js";
import { sendAsUser } from "../send.js";
import { store } from "../store.js";
import { toast } from "../toast.js";
import { imageOrPlaceholder } from "./image.js";

/**
 * A user's own picture can be shown only from the copy this page sent: the emulator keeps the
 * bytes behind the data API, which needs the channel's token.
 */
const localContent = new Map();
export const rememberContent = (messageId, url) => localContent.set(String(messageId), url);
export const hasLocalContent = (messageId) => localContent.has(String(messageId));

function userContentUrl(message) {
  const local = localContent.get(String(message.id));
  if (local) return local;
  const provider = message.contentProvider;
  if (provider?.type === "external") return provider.previewImageUrl ?? provider.originalContentUrl;
  return undefined;
}

export function renderImage(message, { fromBot }) {
  const src = fromBot
    ? (message.previewImageUrl ?? message.originalContentUrl)
    : userContentUrl(message);
  const full = fromBot ? message.originalContentUrl : src;
  return imageOrPlaceholder(src, {
    alt: fromBot ? "Image from the bot" : "Image",
    className: "media-image",
    onclick: full ? () => window.open(full, "_blank", "noopener") : undefined,
  });
}

export function renderVideo(message, { fromBot }) {
  const preview = fromBot ? message.previewImageUrl : userContentUrl(message);
  return h(
    "div",
    { class: "media-video" },
    imageOrPlaceholder(preview, { alt: "Video preview" }),
    h("div", { class: "media-caption" }, icon("video"), " Video", durationText(message.duration)),
    fromBot && message.originalContentUrl ? link(message.originalContentUrl, "Open video") : null,
    fromBot && message.trackingId ? playedToEnd(message.trackingId) : null,
  );
}

/**
 * A video the bot sent with a trackingId: watching it to the end sends videoPlayComplete, which
 * LINE sends only in one-to-one chats.
 */
function playedToEnd(trackingId) {
  if (store.chat?.type !== "user") return null;
  return h(
    "button",
    {
      type: "button",
      class: "small",
      title: `videoPlayComplete event (trackingId ${trackingId})`,
      dataset: { testid: "video-played" },
      onclick: () =>
        sendAsUser("videoPlayComplete", { trackingId }).then(
          (sent) => sent && toast("videoPlayComplete sent"),
        ),
    },
    "Watch to the end",
  );
}

export function renderAudio(message, { fromBot }) {
  return h(
    "div",
    { class: "media-card" },
    h("span", { class: "media-icon" }, icon("audio")),
    h("span", {}, "Audio", durationText(message.duration)),
    fromBot && message.originalContentUrl ? link(message.originalContentUrl, "Play") : null,
  );
}

export function renderFile(message) {
  return h(
    "div",
    { class: "media-card" },
    h("span", { class: "media-icon" }, icon("file")),
    h("span", {}, message.fileName ?? "File"),
    message.fileSize ? h("span", { class: "muted" }, ` ${message.fileSize} bytes`) : null,
  );
}

const durationText = (ms) => (typeof ms === "number" ? ` · ${Math.round(ms / 1000)} s` : "");
const link = (href, text) => h("a", { href, target: "_blank", rel: "noopener" }, text);
