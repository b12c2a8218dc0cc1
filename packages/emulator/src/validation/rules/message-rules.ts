import { wording } from "../line-wording.ts";
import { child, item } from "../property-path.ts";
import { checkAction } from "./action-rules.ts";
import { fail, httpsUrl, isObject, type Json, length, type Out, objects, size } from "./checks.ts";
import { checkFlexMessage } from "./flex-rules.ts";
import { checkImagemapMessage } from "./imagemap-rules.ts";
import { checkTemplateMessage } from "./template-rules.ts";

/**
 * LINE's documented limits of message objects that the spec leaves out (it gives no text
 * lengths, URL schemes or counts for most of them). Source: "Message objects" in
 * https://developers.line.biz/en/reference/messaging-api/#message-objects
 */

/** "Max: 20 LINE emoji" per text message; text (v2) allows 100 substitution objects. */
const MAX_EMOJIS = 20;
const MAX_SUBSTITUTIONS = 100;
/** "Up to 20 mentions" and "Up to 20 emoji can be substituted in a single message" (text v2). */
const MAX_V2_MENTIONS = 20;
const MAX_V2_EMOJIS = 20;
/** "Characters that can be used for object keys are 0-9a-zA-Z and _ ... maximum length 20". */
const SUBSTITUTION_KEY = /^[0-9a-zA-Z_]{1,20}$/;
/** trackingId: "Half-width alphanumeric characters and symbols (-.=,+*()%$&;:@{}!?<>[])". */
const TRACKING_ID = /^[a-zA-Z0-9\-.=,+*()%$&;:@{}!?<>[\]]{1,100}$/;

/**
 * The `{key}` placeholders of a text (v2), `{{` and `}}` being literal braces; undefined when the
 * braces do not pair ("`{` and `}` must be used in pairs").
 */
export function placeholders(text: string): string[] | undefined {
  const keys: string[] = [];
  let index = 0;
  while (index < text.length) {
    const pair = text.slice(index, index + 2);
    if (pair === "{{" || pair === "}}") {
      index += 2;
      continue;
    }
    if (text[index] === "}") return undefined;
    if (text[index] === "{") {
      const end = text.indexOf("}", index + 1);
      if (end < 0) return undefined;
      const key = text.slice(index + 1, end);
      if (key.includes("{")) return undefined;
      keys.push(key);
      index = end + 1;
      continue;
    }
    index += 1;
  }
  return keys;
}

/** Each LINE emoji's `index` must point at a `$` of the text (else LINE answers 400). */
function checkEmojiIndexes(message: Json, path: string, out: Out) {
  const text = message.text;
  if (typeof text !== "string") return;
  objects(message.emojis).forEach((emoji, index) => {
    if (typeof emoji.index === "number" && text[emoji.index] !== "$") {
      fail(out, child(item(child(path, "emojis"), index), "index"), wording.invalidProperty);
    }
  });
}

function checkTextV2(message: Json, path: string, out: Out) {
  if (typeof message.text === "string") {
    const keys = placeholders(message.text);
    const substitution = isObject(message.substitution) ? message.substitution : {};
    // "The substitution content of the string enclosed in { and } must be specified using the
    // substitution property."
    if (!keys || keys.some((key) => !(key in substitution))) {
      fail(out, child(path, "text"), wording.invalidProperty);
    }
  }
  const substitution = message.substitution;
  if (!isObject(substitution)) return;
  const at = child(path, "substitution");
  const entries = Object.entries(substitution);
  if (entries.length > MAX_SUBSTITUTIONS) fail(out, at, wording.size(0, MAX_SUBSTITUTIONS));
  let mentions = 0;
  let emojis = 0;
  for (const [key, value] of entries) {
    if (!SUBSTITUTION_KEY.test(key)) fail(out, child(at, key), wording.invalidProperty);
    if (isObject(value) && value.type === "mention") mentions += 1;
    if (isObject(value) && value.type === "emoji") emojis += 1;
  }
  if (mentions > MAX_V2_MENTIONS || emojis > MAX_V2_EMOJIS)
    fail(out, at, wording.size(0, MAX_V2_EMOJIS));
}

const checkByType: Record<string, (message: Json, path: string, out: Out) => void> = {
  text(message, path, out) {
    // "Max character limit: 5000", counted in UTF-16 code units (LINE: "Character counting in a text").
    length(out, child(path, "text"), message.text, 5000, 1);
    size(out, child(path, "emojis"), message.emojis, 0, MAX_EMOJIS);
    checkEmojiIndexes(message, path, out);
  },
  textV2(message, path, out) {
    length(out, child(path, "text"), message.text, 5000, 1);
    checkTextV2(message, path, out);
  },
  image(message, path, out) {
    httpsUrl(out, child(path, "originalContentUrl"), message.originalContentUrl);
    httpsUrl(out, child(path, "previewImageUrl"), message.previewImageUrl);
  },
  video(message, path, out) {
    httpsUrl(out, child(path, "originalContentUrl"), message.originalContentUrl);
    httpsUrl(out, child(path, "previewImageUrl"), message.previewImageUrl);
    if (typeof message.trackingId === "string" && !TRACKING_ID.test(message.trackingId)) {
      fail(
        out,
        child(path, "trackingId"),
        message.trackingId.length === 0
          ? wording.mayNotBeEmpty
          : message.trackingId.length > 100
            ? wording.length(0, 100)
            : wording.invalidProperty,
      );
    }
  },
  audio(message, path, out) {
    httpsUrl(out, child(path, "originalContentUrl"), message.originalContentUrl);
  },
  location(message, path, out) {
    length(out, child(path, "title"), message.title, 100, 1);
    length(out, child(path, "address"), message.address, 100, 1);
  },
  imagemap: checkImagemapMessage,
  template: checkTemplateMessage,
  flex: checkFlexMessage,
};

/** Quick reply ("items object", "Quick reply button object") and sender, common to all messages. */
function checkCommon(message: Json, path: string, out: Out) {
  if (isObject(message.quickReply)) {
    const at = child(path, "quickReply");
    const itemsPath = child(at, "items");
    // "items: Max: 13 objects" is the spec's `maxItems`; LINE documents no minimum.
    if (message.quickReply.items === undefined) fail(out, itemsPath, wording.mustBeSpecified);
    objects(message.quickReply.items).forEach((button, index) => {
      const buttonPath = item(itemsPath, index);
      if (button.type !== undefined && button.type !== "action") {
        fail(out, child(buttonPath, "type"), wording.oneOf(["action"]));
      }
      httpsUrl(out, child(buttonPath, "imageUrl"), button.imageUrl);
      if (button.action === undefined)
        fail(out, child(buttonPath, "action"), wording.mustBeSpecified);
      checkAction(button.action, child(buttonPath, "action"), "quickReply", out);
    });
  }
  if (isObject(message.sender)) {
    const at = child(path, "sender");
    length(out, child(at, "name"), message.sender.name, 20, 1);
    httpsUrl(out, child(at, "iconUrl"), message.sender.iconUrl);
  }
}

/** The documented rules for a `messages` array whose count and types the schema has checked. */
export function checkMessages(messages: unknown, path: string, out: Out) {
  if (!Array.isArray(messages)) return;
  messages.forEach((message, index) => {
    if (!isObject(message) || typeof message.type !== "string") return;
    const at = item(path, index);
    checkByType[message.type]?.(message, at, out);
    checkCommon(message, at, out);
  });
}
