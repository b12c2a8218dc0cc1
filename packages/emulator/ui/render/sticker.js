import { h } from "../dom.js";
import { stickerFace } from "../stickers.js";

/** Sticker pictures live on LINE's servers; a tile stands in, naming the package and sticker. */
export function renderSticker(message) {
  return h(
    "div",
    {
      class: "sticker-tile",
      title: `Sticker ${message.packageId}/${message.stickerId}`,
      dataset: { testid: "sticker" },
    },
    h("div", { class: "sticker-face" }, stickerFace(message.packageId, message.stickerId)),
    h("div", { class: "sticker-ids" }, `${message.packageId} / ${message.stickerId}`),
    message.text ? h("div", { class: "sticker-text" }, message.text) : null,
  );
}
