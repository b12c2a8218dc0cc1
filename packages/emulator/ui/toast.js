import { h } from "./dom.js";

/** A short notice near the top of the window; errors stay a little longer. */
export function toast(text, { error = false, title } = {}) {
  const host = document.getElementById("toasts");
  if (!host) return;
  const el = h(
    "div",
    {
      class: ["toast", error && "toast-error"],
      role: error ? "alert" : "status",
      title,
      dataset: { testid: error ? "toast-error" : "toast" },
    },
    text,
  );
  host.append(el);
  setTimeout(() => el.remove(), error ? 6000 : 2500);
}

/** An error as the user needs it: the server's own message (the request is in the tooltip). */
export const showError = (error) =>
  toast(error instanceof Error ? error.message : String(error), {
    error: true,
    title: error?.request ? `${error.request} → ${error.status}` : undefined,
  });
