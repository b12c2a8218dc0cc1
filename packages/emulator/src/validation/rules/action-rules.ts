import { wording } from "../line-wording.ts";
import { child } from "../property-path.ts";
import { fail, isObject, type Json, length, linkUri, type Out, requiredLength } from "./checks.ts";

/**
 * LINE's rules for action objects that the spec does not state (it marks none of their
 * properties required and gives no lengths). Source: "Action objects" in
 * https://developers.line.biz/en/reference/messaging-api/#action-objects
 */

/** Where an action sits decides whether it needs a label, how long the label may be, and which types fit. */
export type ActionPlace =
  | "template"
  | "imageCarousel"
  | "templateDefault"
  | "quickReply"
  | "flexButton"
  | "flex"
  | "richMenu";

/** "Specifications of the label": required or not, and the maximum length, by place. */
const LABEL: Record<ActionPlace, { required: boolean; max: number }> = {
  template: { required: true, max: 20 },
  imageCarousel: { required: false, max: 12 },
  // A template's `defaultAction` shows no button, so its label is never displayed.
  templateDefault: { required: false, max: 20 },
  quickReply: { required: true, max: 20 },
  flexButton: { required: true, max: 40 },
  flex: { required: false, max: 40 },
  richMenu: { required: false, max: 20 },
};

/** Camera, camera roll and location work only in quick replies; rich menu switch only in rich menus. */
const ONLY_IN: Record<string, ActionPlace> = {
  camera: "quickReply",
  cameraRoll: "quickReply",
  location: "quickReply",
  richmenuswitch: "richMenu",
};

const DATETIME_FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}$/,
  datetime: /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}$/,
};

/** The range of each mode ("Date and time format"): dates 1900-01-01 to 2100-12-31. */
const DATETIME_RANGE: Record<string, [string, string]> = {
  date: ["1900-01-01", "2100-12-31"],
  time: ["00:00", "23:59"],
  datetime: ["1900-01-01T00:00", "2100-12-31T23:59"],
};

function validDatetime(mode: string, value: string): boolean {
  const format = DATETIME_FORMATS[mode];
  const range = DATETIME_RANGE[mode];
  if (!format || !range || !format.test(value)) return false;
  const normalized = value.replace("t", "T");
  if (normalized < range[0] || normalized > range[1]) return false;
  const [date, time] = mode === "time" ? [undefined, normalized] : normalized.split("T");
  if (date !== undefined) {
    const parsed = new Date(`${date}T00:00:00Z`);
    // Rejects 2017-02-30 and the like, which Date would roll over.
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) return false;
  }
  if (time !== undefined) {
    const [hours, minutes] = time.split(":").map(Number);
    if ((hours ?? 99) > 23 || (minutes ?? 99) > 59) return false;
  }
  return true;
}

function checkDatetimePicker(action: Json, path: string, out: Out) {
  requiredLength(out, child(path, "data"), action.data, 300, wording.mustBeSpecified);
  const mode = action.mode;
  if (mode === undefined) {
    fail(out, child(path, "mode"), wording.mustBeSpecified);
    return;
  }
  if (typeof mode !== "string" || !(mode in DATETIME_FORMATS)) {
    fail(out, child(path, "mode"), wording.oneOf(Object.keys(DATETIME_FORMATS)));
    return;
  }
  const values: Record<string, string> = {};
  for (const key of ["initial", "max", "min"] as const) {
    const value = action[key];
    if (typeof value !== "string") continue;
    if (validDatetime(mode, value)) values[key] = value.replace("t", "T");
    else fail(out, child(path, key), wording.invalidProperty);
  }
  // "max: Must be greater than the min value."
  if (values.min !== undefined && values.max !== undefined && values.max <= values.min) {
    fail(out, child(path, "max"), wording.invalidProperty);
  }
}

export function checkAction(action: unknown, path: string, place: ActionPlace, out: Out) {
  if (!isObject(action) || typeof action.type !== "string") return;
  const only = ONLY_IN[action.type];
  if (only !== undefined && only !== place) {
    fail(out, child(path, "type"), wording.invalidProperty);
    return;
  }
  const label = LABEL[place];
  if (label.required && action.label === undefined) {
    fail(out, child(path, "label"), wording.mustBeSpecified);
  } else {
    length(out, child(path, "label"), action.label, label.max);
  }
  switch (action.type) {
    case "postback":
      requiredLength(out, child(path, "data"), action.data, 300, wording.mustBeSpecified);
      length(out, child(path, "displayText"), action.displayText, 300);
      length(out, child(path, "text"), action.text, 300);
      length(out, child(path, "fillInText"), action.fillInText, 300);
      // "The displayText and text properties can't both be used at the same time."
      if (action.displayText !== undefined && action.text !== undefined) {
        fail(out, child(path, "text"), wording.invalidProperty);
      }
      break;
    case "message":
      requiredLength(out, child(path, "text"), action.text, 300, wording.mustBeSpecified);
      break;
    case "uri":
      if (action.uri === undefined) fail(out, child(path, "uri"), wording.mustBeSpecified);
      linkUri(out, child(path, "uri"), action.uri);
      if (isObject(action.altUri))
        linkUri(out, child(child(path, "altUri"), "desktop"), action.altUri.desktop);
      break;
    case "datetimepicker":
      checkDatetimePicker(action, path, out);
      break;
    case "clipboard":
      length(out, child(path, "clipboardText"), action.clipboardText, 1000, 1);
      break;
    case "richmenuswitch":
      if (action.richMenuAliasId === undefined) {
        fail(out, child(path, "richMenuAliasId"), wording.mustBeSpecified);
      }
      requiredLength(out, child(path, "data"), action.data, 300, wording.mustBeSpecified);
      break;
  }
}
