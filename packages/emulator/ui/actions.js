import { api } from "./api.js";
import { pickDateTime } from "./datetime-dialog.js";
import { sendAsUser, sendPostback } from "./send.js";
import { store } from "./store.js";
import { showError, toast } from "./toast.js";

/**
 * What happens when the user taps an action of a template, flex message, imagemap, quick reply
 * or rich menu, as the LINE app does it. Resolves with the emulator's answer when the tap sent an
 * event to the bot, else with undefined.
 */
export async function runAction(action) {
  if (!action || typeof action !== "object") return;
  switch (action.type) {
    case "postback":
      return sendPostback(action.data ?? "", {
        displayText: action.displayText ?? action.text,
      });
    case "message":
      return sendAsUser("text", { text: action.text ?? action.label ?? "" });
    case "uri": {
      const uri = action.uri ?? action.linkUri ?? action.altUri?.desktop;
      if (uri) window.open(uri, "_blank", "noopener,noreferrer");
      return;
    }
    case "datetimepicker": {
      const params = await pickDateTime(action);
      if (params) return sendPostback(action.data ?? "", { params });
      return;
    }
    case "camera":
    case "cameraRoll":
      return document.dispatchEvent(new CustomEvent("composer:open", { detail: "image" }));
    case "location":
      return document.dispatchEvent(new CustomEvent("composer:open", { detail: "location" }));
    case "clipboard":
      try {
        await navigator.clipboard.writeText(action.clipboardText ?? "");
        toast("Copied to the clipboard");
      } catch {
        toast(`Clipboard: ${action.clipboardText ?? ""}`);
      }
      return;
    case "richmenuswitch": {
      // The app switches the menu, then tells the bot with a postback saying how it went.
      const aliasId = action.richMenuAliasId ?? "";
      let status = "FAILED";
      if (store.chat?.type === "user") {
        try {
          ({ status } = await api.switchRichMenu(store.chat.id, aliasId, store.channel));
        } catch (error) {
          showError(error);
        }
      }
      return sendPostback(action.data ?? "", { params: { newRichMenuAliasId: aliasId, status } });
    }
    default:
      toast(`The emulator does not run "${action.type}" actions`);
  }
}

/** A short human label for an action without one (e.g. imagemap areas). */
export function actionLabel(action) {
  if (!action) return "";
  if (action.label) return action.label;
  if (action.type === "message") return action.text ?? "";
  if (action.type === "uri") return action.uri ?? action.linkUri ?? "";
  if (action.type === "postback") return action.displayText ?? action.data ?? "";
  return action.type ?? "";
}
