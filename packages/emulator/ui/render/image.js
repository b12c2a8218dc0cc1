import { h } from "../dom.js";
import { icon } from "../icons.js";

/**
 * An `<img>` that turns into a labelled placeholder when the picture cannot be loaded, which
 * is the usual case offline.
 */
export function imageOrPlaceholder(src, { alt = "image", className = "", onclick } = {}) {
  const holder = h("div", { class: ["img-holder", className] });
  if (!src) {
    holder.append(placeholder(alt, src));
    return holder;
  }
  const img = h("img", { src, alt, loading: "lazy", referrerpolicy: "no-referrer" });
  img.addEventListener("error", () => holder.replaceChildren(placeholder(alt, src)));
  holder.append(img);
  if (onclick) {
    holder.classList.add("clickable");
    holder.addEventListener("click", onclick);
  }
  return holder;
}

function placeholder(alt, src) {
  return h(
    "div",
    { class: "img-placeholder", title: src ?? "" },
    h("span", { class: "img-icon" }, icon("image", { size: 22 })),
    h("span", { class: "img-alt" }, alt),
    src ? h("span", { class: "img-src" }, shorten(src)) : null,
  );
}

function shorten(url) {
  return url.length > 48 ? `${url.slice(0, 45)}…` : url;
}
