import { h } from "../dom.js";
import { userName } from "../store.js";

/**
 * Text keeps its line breaks (CSS `pre-wrap`). LINE emoji are `$` placeholders at the indexes
 * listed in `emojis`; their pictures are not reachable offline, so each is shown as a small
 * labelled chip. Mentions are highlighted.
 */
export function renderText(message) {
  const text = String(message.text ?? "");
  const marks = [];
  for (const emoji of message.emojis ?? []) {
    marks.push({ index: emoji.index, length: emoji.length ?? 1, node: () => emojiChip(emoji) });
  }
  for (const mentionee of message.mention?.mentionees ?? []) {
    marks.push({
      index: mentionee.index,
      length: mentionee.length,
      node: (slice) => h("span", { class: "mention" }, slice),
    });
  }
  return h("div", { class: "text-body" }, splice(text, marks));
}

/** textV2: `{key}` placeholders filled from `substitution` (mentions and emoji). */
export function renderTextV2(message) {
  const parts = [];
  const pattern = /\{([a-zA-Z0-9_]+)\}/g;
  const text = String(message.text ?? "");
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const sub = message.substitution?.[match[1]];
    if (!sub) continue;
    parts.push(text.slice(last, match.index));
    if (sub.type === "emoji") parts.push(emojiChip(sub));
    else if (sub.type === "mention") {
      const who =
        sub.mentionee?.type === "all" ? "All" : userName(sub.mentionee?.userId) || "someone";
      parts.push(h("span", { class: "mention" }, `@${who}`));
    } else parts.push(match[0]);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return h("div", { class: "text-body" }, parts);
}

function emojiChip(emoji) {
  return h(
    "span",
    { class: "emoji-chip", title: `LINE emoji ${emoji.productId}/${emoji.emojiId}` },
    `[emoji ${emoji.emojiId ?? ""}]`,
  );
}

/** Cuts `text` around the marked ranges (UTF-16 indexes, as LINE counts them). */
function splice(text, marks) {
  const sorted = marks
    .filter((m) => Number.isInteger(m.index) && m.index >= 0 && m.index < text.length)
    .sort((a, b) => a.index - b.index);
  const out = [];
  let cursor = 0;
  for (const mark of sorted) {
    if (mark.index < cursor) continue;
    out.push(text.slice(cursor, mark.index));
    const end = Math.min(text.length, mark.index + Math.max(1, mark.length ?? 1));
    out.push(mark.node(text.slice(mark.index, end)));
    cursor = end;
  }
  out.push(text.slice(cursor));
  return out;
}
