import { h } from "./dom.js";

const INPUT_TYPE = { date: "date", time: "time", datetime: "datetime-local" };

/**
 * Asks for a date, time or datetime as the datetime picker action describes, with its
 * initial, min and max. Resolves with postback params (`{date}`, `{time}` or `{datetime}`), or
 * undefined when cancelled.
 */
export function pickDateTime(action) {
  const mode = INPUT_TYPE[action.mode] ? action.mode : "datetime";
  return new Promise((resolve) => {
    const input = h("input", {
      type: INPUT_TYPE[mode],
      value: action.initial ?? "",
      min: action.min,
      max: action.max,
      required: true,
      dataset: { testid: "datetime-input" },
    });
    const dialog = h(
      "dialog",
      { class: "dialog", dataset: { testid: "datetime-dialog" } },
      h(
        "form",
        { method: "dialog" },
        h("h3", {}, action.label ?? "Choose"),
        h("label", {}, `${mode}: `, input),
        h(
          "menu",
          { class: "dialog-buttons" },
          h(
            "button",
            { type: "button", onclick: (event) => event.target.closest("dialog").close("cancel") },
            "Cancel",
          ),
          h(
            "button",
            { value: "ok", class: "primary", dataset: { testid: "datetime-ok" } },
            "Send",
          ),
        ),
      ),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(dialog.returnValue === "ok" && input.value ? { [mode]: input.value } : undefined);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
