import type { RichMenu } from "../core/rich-menus.ts";
import { type ErrorDetail, invalidBody } from "../errors.ts";
import { objectBody } from "./body.ts";

const isInteger = (value: unknown): value is number => Number.isInteger(value);

/**
 * LINE's rules for a rich menu object (create and validate): the size limits of the image it
 * will carry (width 800–2500, height at least 250, width/height at least 1.45), a name of at most
 * 300 characters, a chat-bar text of at most 14, at most 20 areas, each inside the menu.
 * Action objects are checked with the other message actions, not here.
 */
export function richMenuObject(body: unknown): Omit<RichMenu, "richMenuId" | "image"> {
  const request = objectBody(body);
  const details: ErrorDetail[] = [];
  const size = request.size as Record<string, unknown> | undefined;
  const width = size?.width;
  const height = size?.height;
  if (!isInteger(width) || width < 800 || width > 2500) {
    details.push({ message: "Must be between 800 and 2500", property: "size.width" });
  }
  if (!isInteger(height) || height < 250) {
    details.push({ message: "Must be at least 250", property: "size.height" });
  }
  if (isInteger(width) && isInteger(height) && height > 0 && width / height < 1.45) {
    details.push({
      message: "Aspect ratio (width/height) must be at least 1.45",
      property: "size",
    });
  }
  if (typeof request.selected !== "boolean") {
    details.push({ message: "Must not be null", property: "selected" });
  }
  if (typeof request.name !== "string" || request.name.length < 1 || request.name.length > 300) {
    details.push({ message: "Length must be between 1 and 300", property: "name" });
  }
  const chatBarText = request.chatBarText;
  if (typeof chatBarText !== "string" || chatBarText.length < 1 || chatBarText.length > 14) {
    details.push({ message: "Length must be between 1 and 14", property: "chatBarText" });
  }
  const areas = request.areas;
  if (!Array.isArray(areas)) {
    details.push({ message: "Must not be null", property: "areas" });
  } else if (areas.length > 20) {
    details.push({ message: "Size must be between 0 and 20", property: "areas" });
  } else {
    areas.forEach((area: Record<string, unknown> | null, i) => {
      const bounds = area?.bounds as Record<string, unknown> | undefined;
      const { x, y, width: w, height: h } = bounds ?? {};
      if (!isInteger(x) || !isInteger(y) || !isInteger(w) || !isInteger(h) || x < 0 || y < 0) {
        details.push({ message: "Invalid bounds", property: `areas[${i}].bounds` });
      } else if (
        isInteger(width) &&
        isInteger(height) &&
        (w < 1 || h < 1 || x + w > width || y + h > height)
      ) {
        details.push({ message: "Must be within the rich menu", property: `areas[${i}].bounds` });
      }
      if (typeof area?.action !== "object" || area.action === null) {
        details.push({ message: "Must not be null", property: `areas[${i}].action` });
      }
    });
  }
  if (details.length > 0) throw invalidBody(details);
  return {
    size: { width: width as number, height: height as number },
    selected: request.selected as boolean,
    name: request.name as string,
    chatBarText: chatBarText as string,
    areas: areas as unknown[],
  };
}
