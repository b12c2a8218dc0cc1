import { h } from "../dom.js";
import { renderFlex } from "./flex.js";
import { renderImagemap } from "./imagemap.js";
import { renderLocation } from "./location.js";
import { renderAudio, renderFile, renderImage, renderVideo } from "./media.js";
import { renderSticker } from "./sticker.js";
import { renderTemplate } from "./template.js";
import { renderText, renderTextV2 } from "./text.js";

const RENDERERS = {
  text: renderText,
  textV2: renderTextV2,
  sticker: renderSticker,
  image: renderImage,
  video: renderVideo,
  audio: renderAudio,
  file: renderFile,
  location: renderLocation,
  imagemap: renderImagemap,
  template: renderTemplate,
  flex: renderFlex,
};

/** Kinds drawn inside a speech bubble; the others (stickers, cards, pictures) stand alone. */
const IN_BUBBLE = new Set(["text", "textV2", "audio", "file"]);

/** The content of one LINE message object, whichever side sent it. */
export function renderMessage(message, { fromBot }) {
  const render = RENDERERS[message?.type];
  const content = render
    ? render(message, { fromBot })
    : h("div", { class: "unknown-card" }, `Unsupported message type "${message?.type}"`);
  return { content, inBubble: IN_BUBBLE.has(message?.type) || !render };
}
