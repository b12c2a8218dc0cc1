import { wording } from "../line-wording.ts";
import { child, item } from "../property-path.ts";
import {
  fail,
  httpsUrl,
  isObject,
  type Json,
  length,
  linkUri,
  type Out,
  objects,
  size,
} from "./checks.ts";

/**
 * LINE's rules for imagemap messages beyond the spec. Source: "Imagemap message" in
 * https://developers.line.biz/en/reference/messaging-api/#imagemap-message
 */

/** x and y "must be 0 or higher"; a tappable or video area has a positive size. */
function checkArea(area: unknown, path: string, out: Out) {
  if (!isObject(area)) return;
  for (const key of ["x", "y"] as const) {
    if (typeof area[key] === "number" && area[key] < 0)
      fail(out, child(path, key), wording.atLeast(0));
  }
  for (const key of ["width", "height"] as const) {
    if (typeof area[key] === "number" && area[key] < 1)
      fail(out, child(path, key), wording.atLeast(1));
  }
}

function checkImagemapAction(action: Json, path: string, out: Out) {
  length(out, child(path, "label"), action.label, 100);
  if (action.type === "uri") {
    if (action.linkUri === undefined) fail(out, child(path, "linkUri"), wording.mustBeSpecified);
    linkUri(out, child(path, "linkUri"), action.linkUri);
  } else if (action.type === "message") {
    length(out, child(path, "text"), action.text, 400, 1);
  }
  checkArea(action.area, child(path, "area"), out);
}

/** A video needs both URLs and its area; its link, when given, needs a URI and a label. */
function checkVideo(video: Json, path: string, out: Out) {
  for (const key of ["originalContentUrl", "previewImageUrl", "area"] as const) {
    if (video[key] === undefined) fail(out, child(path, key), wording.mustBeSpecified);
  }
  httpsUrl(out, child(path, "originalContentUrl"), video.originalContentUrl);
  httpsUrl(out, child(path, "previewImageUrl"), video.previewImageUrl);
  checkArea(video.area, child(path, "area"), out);
  if (isObject(video.externalLink)) {
    const at = child(path, "externalLink");
    if (video.externalLink.linkUri === undefined)
      fail(out, child(at, "linkUri"), wording.mustBeSpecified);
    linkUri(out, child(at, "linkUri"), video.externalLink.linkUri);
    if (video.externalLink.label === undefined)
      fail(out, child(at, "label"), wording.mustBeSpecified);
    length(out, child(at, "label"), video.externalLink.label, 30, 1);
  }
}

export function checkImagemapMessage(message: Json, path: string, out: Out) {
  httpsUrl(out, child(path, "baseUrl"), message.baseUrl);
  length(out, child(path, "altText"), message.altText, 1500, 1);
  // "baseSize.width: Width of base image in pixels. Set to 1040."
  if (
    isObject(message.baseSize) &&
    typeof message.baseSize.width === "number" &&
    message.baseSize.width !== 1040
  ) {
    fail(out, child(child(path, "baseSize"), "width"), wording.between(1040, 1040));
  }
  if (
    isObject(message.baseSize) &&
    typeof message.baseSize.height === "number" &&
    message.baseSize.height < 1
  ) {
    fail(out, child(child(path, "baseSize"), "height"), wording.atLeast(1));
  }
  const actionsPath = child(path, "actions");
  // "actions: Max: 50" (the spec requires the array; LINE documents no minimum).
  size(out, actionsPath, message.actions, 0, 50);
  objects(message.actions).forEach((action, index) => {
    checkImagemapAction(action, item(actionsPath, index), out);
  });
  if (isObject(message.video)) checkVideo(message.video, child(path, "video"), out);
}
