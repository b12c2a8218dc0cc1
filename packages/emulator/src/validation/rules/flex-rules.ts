import { wording } from "../line-wording.ts";
import { child, item } from "../property-path.ts";
import { checkAction } from "./action-rules.ts";
import { fail, httpsUrl, isObject, type Json, length, type Out } from "./checks.ts";

/**
 * LINE's rules for Flex Messages that a schema cannot state: sizes of the JSON, which component
 * may sit where, and the conditions of the video component. Source: "Flex Message" in
 * https://developers.line.biz/en/reference/messaging-api/#flex-message
 */

/**
 * "The maximum size of JSON data that defines a bubble is 30 KB" (a carousel: 50 KB). LINE does
 * not say whether a KB is 1000 or 1024 bytes; the larger reading refuses nothing LINE accepts.
 */
const BUBBLE_MAX_BYTES = 30 * 1024;
const CAROUSEL_MAX_BYTES = 50 * 1024;
const CAROUSEL_MAX_BUBBLES = 12;
// "A carousel can't contain bubbles of different widths" is followed by "should have the same
// width", and LINE documents no error for it, so mixed bubble sizes are not refused.
/** "You can specify a value of true up to 10 images in a single message." */
const MAX_ANIMATED_IMAGES = 10;

/** The components a box may hold, by its layout ("contents" of a box). */
const BOX_CHILDREN: Record<string, readonly string[]> = {
  horizontal: ["box", "button", "image", "text", "separator", "filler"],
  vertical: ["box", "button", "image", "text", "separator", "filler"],
  baseline: ["icon", "text", "filler"],
};

/** Every component type; one outside this list is the schema's to report, not these rules'. */
const COMPONENT_TYPES = new Set([
  "box",
  "button",
  "image",
  "video",
  "icon",
  "text",
  "span",
  "separator",
  "filler",
]);

/** "Hero block. Specify a box, an image or a video"; the other blocks take a box. */
const BLOCK_TYPES: Record<string, readonly string[]> = {
  header: ["box"],
  hero: ["box", "image", "video"],
  body: ["box"],
  footer: ["box"],
};

/** A video plays only in a bubble of these sizes (the default size is `mega`). */
const VIDEO_BUBBLE_SIZES = new Set(["kilo", "mega", "giga"]);

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

interface FlexWalk {
  out: Out;
  animatedImages: number;
}

/** `{width}:{height}`, each 1 to 100000, the height at most three times the width. */
function checkAspectRatio(value: unknown, path: string, out: Out) {
  if (typeof value !== "string") return;
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(value);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (
    !match ||
    width < 1 ||
    width > 100000 ||
    height < 1 ||
    height > 100000 ||
    height > 3 * width
  ) {
    fail(out, path, wording.invalidProperty);
  }
}

function checkComponent(component: Json, path: string, walk: FlexWalk) {
  const { out } = walk;
  if (component.action !== undefined) {
    checkAction(
      component.action,
      child(path, "action"),
      component.type === "button" ? "flexButton" : "flex",
      out,
    );
  }
  switch (component.type) {
    case "box": {
      const allowed =
        typeof component.layout === "string" ? BOX_CHILDREN[component.layout] : undefined;
      if (!Array.isArray(component.contents)) break;
      component.contents.forEach((content, index) => {
        if (!isObject(content) || !COMPONENT_TYPES.has(String(content.type))) return;
        const at = item(child(path, "contents"), index);
        if (allowed && typeof content.type === "string" && !allowed.includes(content.type)) {
          fail(out, child(at, "type"), wording.oneOf(allowed));
          return;
        }
        checkComponent(content, at, walk);
      });
      break;
    }
    case "text":
      if (component.text === undefined && component.contents === undefined) {
        fail(out, child(path, "text"), wording.mustBeSpecified);
      }
      if (Array.isArray(component.contents)) {
        component.contents.forEach((span, index) => {
          if (isObject(span) && span.text === undefined) {
            fail(out, child(item(child(path, "contents"), index), "text"), wording.mustBeSpecified);
          }
        });
      }
      break;
    case "image":
      httpsUrl(out, child(path, "url"), component.url);
      checkAspectRatio(component.aspectRatio, child(path, "aspectRatio"), out);
      if (component.animated === true) walk.animatedImages += 1;
      break;
    case "icon":
      httpsUrl(out, child(path, "url"), component.url);
      checkAspectRatio(component.aspectRatio, child(path, "aspectRatio"), out);
      break;
    case "video":
      httpsUrl(out, child(path, "url"), component.url);
      httpsUrl(out, child(path, "previewUrl"), component.previewUrl);
      checkAspectRatio(component.aspectRatio, child(path, "aspectRatio"), out);
      if (isObject(component.altContent)) {
        const at = child(path, "altContent");
        if (!COMPONENT_TYPES.has(String(component.altContent.type))) {
          // An unknown type is the schema's to report.
        } else if (component.altContent.type !== "box" && component.altContent.type !== "image") {
          fail(out, child(at, "type"), wording.oneOf(["box", "image"]));
        } else {
          checkComponent(component.altContent, at, walk);
        }
      }
      // "action: URI action" is the only kind a video takes.
      if (isObject(component.action) && component.action.type !== "uri") {
        fail(out, child(child(path, "action"), "type"), wording.oneOf(["uri"]));
      }
      break;
  }
}

function checkBubble(bubble: Json, path: string, inCarousel: boolean, walk: FlexWalk) {
  for (const [block, types] of Object.entries(BLOCK_TYPES)) {
    const component = bubble[block];
    if (!isObject(component) || !COMPONENT_TYPES.has(String(component.type))) continue;
    const at = child(path, block);
    if (typeof component.type === "string" && !types.includes(component.type)) {
      fail(walk.out, child(at, "type"), wording.oneOf(types));
      continue;
    }
    // "Use conditions of the video component": directly under the hero of a kilo, mega or giga
    // bubble that is not in a carousel.
    if (component.type === "video") {
      const bubbleSize = typeof bubble.size === "string" ? bubble.size : "mega";
      if (inCarousel || !VIDEO_BUBBLE_SIZES.has(bubbleSize)) {
        fail(walk.out, child(at, "type"), wording.invalidProperty);
        continue;
      }
    }
    checkComponent(component, at, walk);
  }
  if (bubble.action !== undefined)
    checkAction(bubble.action, child(path, "action"), "flex", walk.out);
}

export function checkFlexMessage(message: Json, path: string, out: Out) {
  length(out, child(path, "altText"), message.altText, 1500, 1);
  const container = message.contents;
  if (!isObject(container)) return;
  const at = child(path, "contents");
  const walk: FlexWalk = { out, animatedImages: 0 };
  if (container.type === "bubble") {
    if (jsonBytes(container) > BUBBLE_MAX_BYTES) fail(out, at, wording.jsonSize(BUBBLE_MAX_BYTES));
    checkBubble(container, at, false, walk);
  } else if (container.type === "carousel") {
    if (jsonBytes(container) > CAROUSEL_MAX_BYTES)
      fail(out, at, wording.jsonSize(CAROUSEL_MAX_BYTES));
    const bubbles = container.contents;
    if (Array.isArray(bubbles)) {
      if (bubbles.length < 1 || bubbles.length > CAROUSEL_MAX_BUBBLES) {
        fail(out, child(at, "contents"), wording.size(1, CAROUSEL_MAX_BUBBLES));
      }
      bubbles.forEach((bubble, index) => {
        if (!isObject(bubble)) return;
        const bubblePath = item(child(at, "contents"), index);
        if (jsonBytes(bubble) > BUBBLE_MAX_BYTES)
          fail(out, bubblePath, wording.jsonSize(BUBBLE_MAX_BYTES));
        checkBubble(bubble, bubblePath, true, walk);
      });
    }
  }
  if (walk.animatedImages > MAX_ANIMATED_IMAGES) fail(out, at, wording.invalidProperty);
}
