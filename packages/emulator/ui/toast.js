import { h } from "./dom.js";

/** A short notice at the bottom of the window; errors stay a little longer. */
export function toast(text, { error = false } = {}) {
  const host = document.getElementById("toasts");
  if (!host) return;
  const el = h("div", { class: ["toast", error && "toast-error"], role: "status" }, text);
  host.append(el);
  setTimeout(() => el.remove(), error ? 6000 : 2500);
}

export const showError = (error) =>
  toast(error instanceof Error ? error.message : String(error), { error: true });
