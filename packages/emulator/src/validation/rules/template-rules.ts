import { wording } from "../line-wording.ts";
import { child, item } from "../property-path.ts";
import { checkAction } from "./action-rules.ts";
import { fail, httpsUrl, isObject, type Json, length, type Out, objects, size } from "./checks.ts";

/**
 * LINE's rules for template messages beyond the spec's required properties. Source: "Template
 * messages" in https://developers.line.biz/en/reference/messaging-api/#template-messages
 */

const hasImageOrTitle = (column: Json) =>
  column.thumbnailImageUrl !== undefined || column.title !== undefined;

function checkActions(actions: unknown, path: string, min: number, max: number, out: Out) {
  if (!Array.isArray(actions)) return;
  if (actions.length < min || actions.length > max) fail(out, path, wording.size(min, max));
  actions.forEach((action, index) => {
    checkAction(action, item(path, index), "template", out);
  });
}

function checkButtons(template: Json, path: string, out: Out) {
  httpsUrl(out, child(path, "thumbnailImageUrl"), template.thumbnailImageUrl);
  length(out, child(path, "title"), template.title, 40);
  // "Max character limit: 160 (no image or title), 60 (message with an image or title)".
  length(out, child(path, "text"), template.text, hasImageOrTitle(template) ? 60 : 160, 1);
  checkAction(template.defaultAction, child(path, "defaultAction"), "templateDefault", out);
  checkActions(template.actions, child(path, "actions"), 1, 4, out);
}

function checkConfirm(template: Json, path: string, out: Out) {
  length(out, child(path, "text"), template.text, 240, 1);
  // "Set 2 actions for the 2 buttons".
  checkActions(template.actions, child(path, "actions"), 2, 2, out);
}

function checkCarousel(template: Json, path: string, out: Out) {
  const columnsPath = child(path, "columns");
  size(out, columnsPath, template.columns, 1, 10);
  const columns = objects(template.columns);
  columns.forEach((column, index) => {
    const at = item(columnsPath, index);
    httpsUrl(out, child(at, "thumbnailImageUrl"), column.thumbnailImageUrl);
    length(out, child(at, "title"), column.title, 40);
    length(out, child(at, "text"), column.text, hasImageOrTitle(column) ? 60 : 120, 1);
    checkAction(column.defaultAction, child(at, "defaultAction"), "templateDefault", out);
    checkActions(column.actions, child(at, "actions"), 1, 3, out);
  });
  // "Keep the number of actions consistent for all columns. If you use an image or title for a
  // column, make sure to do the same for all other columns."
  const first = columns[0];
  if (!first) return;
  columns.slice(1).forEach((column, offset) => {
    const at = item(columnsPath, offset + 1);
    if (Array.isArray(first.actions) && Array.isArray(column.actions)) {
      if (column.actions.length !== first.actions.length) {
        fail(out, child(at, "actions"), wording.size(first.actions.length, first.actions.length));
      }
    }
    for (const key of ["thumbnailImageUrl", "title"] as const) {
      if ((column[key] === undefined) !== (first[key] === undefined)) {
        fail(out, child(at, key), wording.invalidProperty);
      }
    }
  });
}

function checkImageCarousel(template: Json, path: string, out: Out) {
  const columnsPath = child(path, "columns");
  size(out, columnsPath, template.columns, 1, 10);
  objects(template.columns).forEach((column, index) => {
    const at = item(columnsPath, index);
    httpsUrl(out, child(at, "imageUrl"), column.imageUrl);
    checkAction(column.action, child(at, "action"), "imageCarousel", out);
  });
}

export function checkTemplateMessage(message: Json, path: string, out: Out) {
  length(out, child(path, "altText"), message.altText, 1500, 1);
  const template = message.template;
  if (!isObject(template)) return;
  const at = child(path, "template");
  if (template.type === "buttons") checkButtons(template, at, out);
  else if (template.type === "confirm") checkConfirm(template, at, out);
  else if (template.type === "carousel") checkCarousel(template, at, out);
  else if (template.type === "image_carousel") checkImageCarousel(template, at, out);
}
