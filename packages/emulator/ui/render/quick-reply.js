import { h } from "../dom.js";
import { actionButton } from "./action-button.js";
import { imageOrPlaceholder } from "./image.js";

/**
 * Quick reply chips for the composer; LINE shows those of the chat's latest message. `onSent`
 * runs when a chip has sent something to the bot (LINE then hides the chips).
 */
export function renderQuickReplies(quickReply, { onSent } = {}) {
  return (quickReply?.items ?? []).map((item) => {
    const action = item.action ?? {};
    const chip = actionButton(action, { className: "quick-reply", testid: "quick-reply", onSent });
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
