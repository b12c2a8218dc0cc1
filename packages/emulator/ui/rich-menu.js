import { actionLabel, runAction } from "./actions.js";
import { api } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { store } from "./store.js";

/**
 * The chat's rich menu under the composer, as the LINE app shows it in a one-to-one chat: a bar
 * with the menu's chat-bar text opens and closes it; the menu is its image, and tapping an area
 * runs the area's action. Which menu shows is the emulator's answer (a switched menu, else the
 * user's own, else the default), fetched again whenever the emulator's state changes.
 */
export function mountRichMenu(root) {
  /** The menu shown, and whether the user opened or closed it (by menu id). */
  let shown = null;
  const openState = new Map();
  let loading = 0;

  async function load() {
    const chat = store.chat;
    const ticket = ++loading;
    if (chat?.type !== "user") return render(null);
    try {
      const channel = store.channel ? `?channel=${encodeURIComponent(store.channel)}` : "";
      const { richMenu } = await api.richMenu(chat.id, channel);
      // Every state change asks again; the same menu is left as it is (no flicker, open or not).
      if (ticket === loading && JSON.stringify(richMenu) !== JSON.stringify(shown))
        render(richMenu);
    } catch {
      if (ticket === loading) render(null);
    }
  }

  function render(menu) {
    shown = menu;
    root.hidden = !menu;
    if (!menu) return replaceChildren(root);
    const open = openState.get(menu.richMenuId) ?? menu.selected;
    const channel = store.channel ? `?channel=${encodeURIComponent(store.channel)}` : "";
    const bar = h(
      "button",
      {
        type: "button",
        class: "rich-menu-bar",
        "aria-expanded": String(open),
        dataset: { testid: "richmenu-bar" },
        onclick: () => setOpen(!open),
      },
      h("span", { class: "rich-menu-bar-text" }, menu.chatBarText),
      h("span", { class: "rich-menu-bar-arrow", "aria-hidden": "true" }, open ? "▾" : "▴"),
    );
    const { width, height } = menu.size;
    const areas = menu.areas.map((area) => {
      const { x, y, width: w, height: hgt } = area.bounds;
      const label = actionLabel(area.action);
      return h("button", {
        type: "button",
        class: "rich-menu-area",
        title: label,
        "aria-label": label,
        dataset: { testid: "richmenu-area", actionType: area.action?.type ?? "" },
        style: {
          left: `${(x / width) * 100}%`,
          top: `${(y / height) * 100}%`,
          width: `${(w / width) * 100}%`,
          height: `${(hgt / height) * 100}%`,
        },
        onclick: () => tap(area.action),
      });
    });
    const panel = h(
      "div",
      {
        class: "rich-menu",
        hidden: !open,
        // At most 40% of the window's height: a short window gets the menu narrower, in proportion.
        style: { aspectRatio: `${width} / ${height}`, maxWidth: `calc(40vh * ${width / height})` },
        dataset: { testid: "richmenu", richMenuId: menu.richMenuId, source: menu.source },
      },
      h("img", {
        class: "rich-menu-image",
        src: `/emulator/richmenus/${encodeURIComponent(menu.richMenuId)}/image${channel}`,
        alt: menu.name,
        draggable: "false",
      }),
      areas,
    );
    replaceChildren(root, bar, panel);
  }

  function setOpen(open) {
    if (!shown) return;
    openState.set(shown.richMenuId, open);
    render(shown);
  }

  async function tap(action) {
    // A postback may ask the app to close the menu or open the keyboard as it is sent.
    if (action?.inputOption === "closeRichMenu" || action?.inputOption === "openKeyboard") {
      setOpen(false);
      if (action.inputOption === "openKeyboard") {
        document.dispatchEvent(new CustomEvent("composer:focus", { detail: action.fillInText }));
      }
    }
    await runAction(action);
  }

  store.on("selection", load);
  store.on("state", load);
  load();
}
