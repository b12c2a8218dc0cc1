import { store } from "./store.js";

/** Below this width the sidebar and the traffic panel cover the chat instead of sitting beside it. */
const PHONE = window.matchMedia("(max-width: 720px)");
/** Below this width the traffic panel covers the chat. */
const NARROW = window.matchMedia("(max-width: 1100px)");

/**
 * Which side panels show: the sidebar (users and chats) and the traffic panel, each toggled by
 * its button in the top bar. On a phone both start closed and open over the chat, one at a time;
 * picking a chat, tapping beside the panel or Esc closes it.
 */
export function mountLayout({ sidebarButton, logsButton, backdrop, sidebar }) {
  const body = document.body;
  let sidebarOpen = !PHONE.matches;
  let logsOpen = !NARROW.matches;

  function apply() {
    body.dataset.sidebar = sidebarOpen ? "open" : "closed";
    body.dataset.logs = logsOpen ? "open" : "closed";
    sidebarButton.setAttribute("aria-expanded", String(sidebarOpen));
    logsButton.setAttribute("aria-expanded", String(logsOpen));
    backdrop.hidden = !(PHONE.matches && sidebarOpen) && !(NARROW.matches && logsOpen);
  }

  sidebarButton.addEventListener("click", () => {
    sidebarOpen = !sidebarOpen;
    if (sidebarOpen && PHONE.matches) logsOpen = false;
    apply();
  });
  logsButton.addEventListener("click", () => {
    logsOpen = !logsOpen;
    if (logsOpen && PHONE.matches) sidebarOpen = false;
    apply();
  });
  const closeOverlays = () => {
    if (PHONE.matches) sidebarOpen = false;
    if (NARROW.matches) logsOpen = false;
    apply();
  };
  backdrop.addEventListener("click", closeOverlays);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !backdrop.hidden && !document.querySelector("dialog[open]"))
      closeOverlays();
  });
  sidebar.addEventListener("click", (event) => {
    if (PHONE.matches && event.target.closest(".chat-item")) closeOverlays();
  });
  // Crossing a breakpoint (rotating a phone, resizing a window) starts again from its defaults.
  for (const query of [PHONE, NARROW]) {
    query.addEventListener("change", () => {
      sidebarOpen = !PHONE.matches;
      logsOpen = !NARROW.matches;
      apply();
    });
  }

  // A closed sidebar still tells of bot messages waiting in other chats.
  const unread = sidebarButton.querySelector(".toggle-unread");
  store.on("unread", () => {
    const total = [...store.unread.values()].reduce((sum, n) => sum + n, 0);
    unread.textContent = total ? String(total) : "";
  });
  apply();
}
