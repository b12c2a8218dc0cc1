import { h } from "../dom.js";
import { actionButton } from "./action-button.js";
import { imageOrPlaceholder } from "./image.js";

/**
 * An imagemap: the picture at `baseUrl/1040` with its tappable areas drawn on top. Offline,
 * the picture is a placeholder and the areas still work.
 */
export function renderImagemap(message) {
  const width = message.baseSize?.width ?? 1040;
  const height = message.baseSize?.height ?? 1040;
  const frame = h("div", { class: "imagemap", style: { aspectRatio: `${width} / ${height}` } });
  frame.append(
    imageOrPlaceholder(message.baseUrl ? `${message.baseUrl}/1040` : undefined, {
      alt: message.altText ?? "Imagemap",
    }),
  );
  for (const action of message.actions ?? []) {
    const area = action.area ?? {};
    const button = actionButton(action, {
      className: "imagemap-area",
      testid: "imagemap-action",
      label: action.label ?? "",
    });
    Object.assign(button.style, {
      left: `${(100 * (area.x ?? 0)) / width}%`,
      top: `${(100 * (area.y ?? 0)) / height}%`,
      width: `${(100 * (area.width ?? 0)) / width}%`,
      height: `${(100 * (area.height ?? 0)) / height}%`,
    });
    frame.append(button);
  }
  return h(
    "div",
    { class: "imagemap-wrap" },
    frame,
    message.video ? h("div", { class: "muted" }, "(with video)") : null,
  );
}
