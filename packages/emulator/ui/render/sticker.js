import { h } from "../dom.js";
import { stickerArt } from "../sticker-art.js";

/** Sticker pictures live on LINE's servers; a drawn tile stands in, naming the package and sticker. */
export function renderSticker(message) {
  return h(
    "div",
    {
      class: "sticker-tile",
      title: `Sticker ${message.packageId}/${message.stickerId}`,
      dataset: { testid: "sticker" },
    },
    stickerArt(message.packageId, message.stickerId, { size: 72 }),
    h("div", { class: "sticker-ids" }, `${message.packageId} / ${message.stickerId}`),
    message.text ? h("div", { class: "sticker-text" }, message.text) : null,
  );
}
