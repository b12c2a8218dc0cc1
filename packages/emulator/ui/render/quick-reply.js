import { h } from "../dom.js";
import { actionButton } from "./action-button.js";
import { imageOrPlaceholder } from "./image.js";

/** Quick reply chips for the composer; LINE shows those of the chat's latest message. */
export function renderQuickReplies(quickReply) {
  return (quickReply?.items ?? []).map((item) => {
    const action = item.action ?? {};
    const chip = actionButton(action, { className: "quick-reply", testid: "quick-reply" });
    if (item.imageUrl) {
      const icon = imageOrPlaceholder(item.imageUrl, { alt: "", className: "quick-reply-icon" });
      chip.prepend(icon);
    }
    return chip;
  });
}

export const hasQuickReplies = (message) => (message?.quickReply?.items?.length ?? 0) > 0;

export const quickReplyBar = (chips) =>
  h("div", { class: "quick-replies", dataset: { testid: "quick-replies" } }, chips);
