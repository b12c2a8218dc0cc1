import { actionLabel, runAction } from "../actions.js";
import { h } from "../dom.js";

/**
 * A button that runs a LINE action when pressed; `testid` names it for tests. `onSent` is
 * called once the press has sent an event to the bot.
 */
export function actionButton(action, { className = "", testid = "action", label, onSent } = {}) {
  return h(
    "button",
    {
      type: "button",
      class: className,
      title: describe(action),
      dataset: { testid, actionType: action?.type ?? "" },
      onclick: async (event) => {
        event.stopPropagation();
        const sent = await runAction(action);
        if (sent && onSent) onSent(sent);
      },
    },
    label ?? actionLabel(action),
  );
}

/** Makes a whole element (a card, an image) run an action when clicked. */
export function withAction(el, action) {
  if (!action) return el;
  el.classList.add("clickable");
  el.title = describe(action);
  el.addEventListener("click", (event) => {
    event.stopPropagation();
    runAction(action);
  });
  return el;
}

function describe(action) {
  if (!action) return "";
  if (action.type === "postback") return `postback: ${action.data ?? ""}`;
  if (action.type === "uri") return `open ${action.uri ?? action.linkUri ?? ""}`;
  if (action.type === "message") return `send "${action.text ?? ""}"`;
  return action.type ?? "";
}
