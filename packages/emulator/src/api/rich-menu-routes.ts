import { imageSize } from "image-size";
import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import type { ChannelRichMenus, RichMenu } from "../core/rich-menus.ts";
import { type ErrorDetail, invalidBody, LineErrorResponse } from "../errors.ts";
import { isUserId } from "../ids.ts";
import { objectBody } from "./body.ts";
import { richMenuObject } from "./rich-menu-object.ts";
import type { Route } from "./route.ts";

const MAX_RICH_MENUS = 1000;
const MAX_ALIASES = 1000;
const MAX_IMAGE_BYTES = 1024 * 1024;

const menusOf = (platform: Platform, channel: EmulatedChannel): ChannelRichMenus =>
  platform.richMenus.of(channel.name);

function menu(menus: ChannelRichMenus, richMenuId: string | undefined): RichMenu {
  const found = menus.menus.get(richMenuId ?? "");
  if (!found) throw new LineErrorResponse(404, "richmenu not found");
  return found;
}

/** A menu users can be shown: it exists and has its image, or LINE refuses to apply it. */
function applicable(menus: ChannelRichMenus, richMenuId: string | undefined): RichMenu {
  const found = menu(menus, richMenuId);
  if (!found.image) {
    throw new LineErrorResponse(400, "must upload richmenu image before applying it to user");
  }
  return found;
}

function userIdOf(userId: string | undefined): string {
  if (!userId || !isUserId(userId)) {
    throw new LineErrorResponse(400, `The value for the 'userId' parameter is invalid: ${userId}`);
  }
  return userId;
}

/** Shared by the bulk link/unlink bodies: 1 to 500 user ids. */
function userIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 500) {
    throw invalidBody([{ message: "Size must be between 1 and 500", property: "userIds" }]);
  }
  const bad = value.findIndex((id) => typeof id !== "string" || !isUserId(id));
  if (bad >= 0) throw invalidBody([{ message: "Invalid user ID", property: `userIds[${bad}]` }]);
  return value as string[];
}

const menuView = ({ image: _image, ...rest }: RichMenu) => rest;

type BatchOperation =
  | { type: "link"; from: string; to: string }
  | { type: "unlink"; from: string }
  | { type: "unlinkAll" };

/** Checks a batch request against the channel's menus; the same rules for run and validate. */
function batchOperations(menus: ChannelRichMenus, body: unknown): BatchOperation[] {
  const operations = objectBody(body).operations;
  if (!Array.isArray(operations) || operations.length < 1 || operations.length > 1000) {
    throw invalidBody([{ message: "Size must be between 1 and 1000", property: "operations" }]);
  }
  const details: ErrorDetail[] = [];
  operations.forEach((operation: Record<string, unknown> | null, i) => {
    const at = `operations[${i}]`;
    const type = operation?.type;
    if (type === "unlinkAll") return;
    if (type !== "link" && type !== "unlink") {
      details.push({ message: "Must be one of link, unlink, unlinkAll", property: `${at}.type` });
      return;
    }
    if (!menus.menus.has(String(operation?.from))) {
      details.push({ message: "richmenu not found", property: `${at}.from` });
    }
    if (type === "link") {
      const to = menus.menus.get(String(operation?.to));
      if (!to) details.push({ message: "richmenu not found", property: `${at}.to` });
      else if (!to.image) {
        details.push({ message: "richmenu image not uploaded", property: `${at}.to` });
      }
    }
  });
  if (details.length > 0) throw invalidBody(details);
  return operations as BatchOperation[];
}

export const richMenuRoutes: Route[] = [
  {
    operationId: "createRichMenu",
    checkBody: richMenuObject,
    method: "POST",
    pattern: "/v2/bot/richmenu",
    handle({ platform, channel, body }) {
      const menus = menusOf(platform, channel);
      const object = richMenuObject(body);
      if (menus.menus.size >= MAX_RICH_MENUS) {
        throw new LineErrorResponse(
          400,
          "The number of rich menus has reached the upper limit (1000)",
        );
      }
      const created = menus.create(object);
      platform.announceState();
      return { body: { richMenuId: created.richMenuId } };
    },
  },
  {
    operationId: "validateRichMenuObject",
    checkBody: richMenuObject,
    method: "POST",
    pattern: "/v2/bot/richmenu/validate",
    handle({ body }) {
      richMenuObject(body);
      return { body: {} };
    },
  },
  {
    operationId: "getRichMenu",
    method: "GET",
    pattern: "/v2/bot/richmenu/{richMenuId}",
    handle: ({ platform, channel, params }) => ({
      body: menuView(menu(menusOf(platform, channel), params.richMenuId)),
    }),
  },
  {
    operationId: "deleteRichMenu",
    method: "DELETE",
    pattern: "/v2/bot/richmenu/{richMenuId}",
    handle({ platform, channel, params }) {
      const menus = menusOf(platform, channel);
      menus.delete(menu(menus, params.richMenuId).richMenuId);
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "getRichMenuList",
    method: "GET",
    pattern: "/v2/bot/richmenu/list",
    handle: ({ platform, channel }) => ({
      body: { richmenus: [...menusOf(platform, channel).menus.values()].map(menuView) },
    }),
  },
  {
    operationId: "setRichMenuImage",
    method: "POST",
    pattern: "/v2/bot/richmenu/{richMenuId}/content",
    handle({ platform, channel, params, rawBody, contentType }) {
      const found = menu(menusOf(platform, channel), params.richMenuId);
      const type = contentType.split(";")[0]?.trim() ?? "";
      if (type !== "image/jpeg" && type !== "image/png") {
        throw new LineErrorResponse(
          415,
          `The content type, ${contentType || "none"}, is not supported`,
        );
      }
      if (!rawBody || rawBody.length === 0) throw new LineErrorResponse(400, "The image is empty");
      if (rawBody.length > MAX_IMAGE_BYTES)
        throw new LineErrorResponse(413, "Request Entity Too Large");
      if (found.image) {
        throw new LineErrorResponse(400, "An image has already been uploaded to the richmenu");
      }
      let dimensions: { width: number; height: number };
      try {
        dimensions = imageSize(rawBody);
      } catch {
        throw new LineErrorResponse(400, "The image could not be read as JPEG or PNG");
      }
      if (dimensions.width !== found.size.width || dimensions.height !== found.size.height) {
        throw new LineErrorResponse(
          400,
          `The image size (${dimensions.width}x${dimensions.height}) must match the rich menu size (${found.size.width}x${found.size.height})`,
        );
      }
      found.image = { bytes: Buffer.from(rawBody), contentType: type };
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "getRichMenuImage",
    method: "GET",
    pattern: "/v2/bot/richmenu/{richMenuId}/content",
    handle({ platform, channel, params }) {
      const found = menusOf(platform, channel).menus.get(params.richMenuId ?? "");
      if (!found?.image) throw new LineErrorResponse(404, "Not found");
      return { body: found.image.bytes, contentType: found.image.contentType };
    },
  },
  {
    operationId: "setDefaultRichMenu",
    method: "POST",
    pattern: "/v2/bot/user/all/richmenu/{richMenuId}",
    handle({ platform, channel, params }) {
      const menus = menusOf(platform, channel);
      menus.defaultRichMenuId = applicable(menus, params.richMenuId).richMenuId;
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "getDefaultRichMenuId",
    method: "GET",
    pattern: "/v2/bot/user/all/richmenu",
    handle({ platform, channel }) {
      const id = menusOf(platform, channel).defaultRichMenuId;
      if (id === undefined) throw new LineErrorResponse(404, "no default richmenu");
      return { body: { richMenuId: id } };
    },
  },
  {
    operationId: "cancelDefaultRichMenu",
    method: "DELETE",
    pattern: "/v2/bot/user/all/richmenu",
    handle({ platform, channel }) {
      menusOf(platform, channel).defaultRichMenuId = undefined;
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "linkRichMenuIdToUser",
    method: "POST",
    pattern: "/v2/bot/user/{userId}/richmenu/{richMenuId}",
    handle({ platform, channel, params }) {
      const menus = menusOf(platform, channel);
      const userId = userIdOf(params.userId);
      menus.setUserLink(userId, applicable(menus, params.richMenuId).richMenuId);
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "getRichMenuIdOfUser",
    method: "GET",
    pattern: "/v2/bot/user/{userId}/richmenu",
    handle({ platform, channel, params }) {
      // Only a per-user link counts here; the default is not the user's own menu.
      const id = menusOf(platform, channel).userLinks.get(userIdOf(params.userId));
      if (id === undefined) throw new LineErrorResponse(404, "the user has no richmenu");
      return { body: { richMenuId: id } };
    },
  },
  {
    operationId: "unlinkRichMenuIdFromUser",
    method: "DELETE",
    pattern: "/v2/bot/user/{userId}/richmenu",
    handle({ platform, channel, params }) {
      menusOf(platform, channel).setUserLink(userIdOf(params.userId), undefined);
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "linkRichMenuIdToUsers",
    method: "POST",
    pattern: "/v2/bot/richmenu/bulk/link",
    handle({ platform, channel, body }) {
      const menus = menusOf(platform, channel);
      const request = objectBody(body);
      const ids = userIds(request.userIds);
      const richMenuId = applicable(menus, String(request.richMenuId ?? "")).richMenuId;
      for (const userId of ids) menus.setUserLink(userId, richMenuId);
      platform.announceState();
      return { status: 202, body: {} };
    },
  },
  {
    operationId: "unlinkRichMenuIdFromUsers",
    method: "POST",
    pattern: "/v2/bot/richmenu/bulk/unlink",
    handle({ platform, channel, body }) {
      const menus = menusOf(platform, channel);
      for (const userId of userIds(objectBody(body).userIds)) menus.setUserLink(userId, undefined);
      platform.announceState();
      return { status: 202, body: {} };
    },
  },
  {
    operationId: "createRichMenuAlias",
    method: "POST",
    pattern: "/v2/bot/richmenu/alias",
    handle({ platform, channel, body }) {
      const menus = menusOf(platform, channel);
      const request = objectBody(body);
      const aliasId = request.richMenuAliasId;
      if (typeof aliasId !== "string" || !/^[a-z0-9_-]{1,32}$/.test(aliasId)) {
        throw invalidBody([
          { message: "Must match ^[a-z0-9_-]{1,32}$", property: "richMenuAliasId" },
        ]);
      }
      if (menus.aliases.has(aliasId))
        throw new LineErrorResponse(400, "conflict richmenu alias id");
      if (menus.aliases.size >= MAX_ALIASES) {
        throw new LineErrorResponse(
          400,
          "The number of rich menu aliases has reached the upper limit",
        );
      }
      const richMenuId = applicable(menus, String(request.richMenuId ?? "")).richMenuId;
      menus.aliases.set(aliasId, richMenuId);
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "getRichMenuAlias",
    method: "GET",
    pattern: "/v2/bot/richmenu/alias/{richMenuAliasId}",
    handle({ platform, channel, params }) {
      const aliasId = params.richMenuAliasId ?? "";
      const richMenuId = menusOf(platform, channel).aliases.get(aliasId);
      if (richMenuId === undefined) throw new LineErrorResponse(404, "richmenu alias not found");
      return { body: { richMenuAliasId: aliasId, richMenuId } };
    },
  },
  {
    operationId: "updateRichMenuAlias",
    method: "POST",
    pattern: "/v2/bot/richmenu/alias/{richMenuAliasId}",
    handle({ platform, channel, params, body }) {
      const menus = menusOf(platform, channel);
      const aliasId = params.richMenuAliasId ?? "";
      if (!menus.aliases.has(aliasId)) throw new LineErrorResponse(400, "richmenu alias not found");
      const richMenuId = applicable(menus, String(objectBody(body).richMenuId ?? "")).richMenuId;
      menus.aliases.set(aliasId, richMenuId);
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "deleteRichMenuAlias",
    method: "DELETE",
    pattern: "/v2/bot/richmenu/alias/{richMenuAliasId}",
    handle({ platform, channel, params }) {
      const menus = menusOf(platform, channel);
      if (!menus.aliases.delete(params.richMenuAliasId ?? "")) {
        throw new LineErrorResponse(400, "richmenu alias not found");
      }
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "getRichMenuAliasList",
    method: "GET",
    pattern: "/v2/bot/richmenu/alias/list",
    handle: ({ platform, channel }) => ({
      body: {
        aliases: [...menusOf(platform, channel).aliases].map(([richMenuAliasId, richMenuId]) => ({
          richMenuAliasId,
          richMenuId,
        })),
      },
    }),
  },
  {
    operationId: "richMenuBatch",
    method: "POST",
    pattern: "/v2/bot/richmenu/batch",
    handle({ platform, channel, body, requestId }) {
      const menus = menusOf(platform, channel);
      // Carried out at once; LINE's is asynchronous, so its progress reads `succeeded` at once.
      for (const operation of batchOperations(menus, body)) {
        for (const [userId, linked] of menus.userLinks) {
          if (operation.type === "unlinkAll") menus.setUserLink(userId, undefined);
          else if (linked !== operation.from) continue;
          else if (operation.type === "link") menus.setUserLink(userId, operation.to);
          else menus.setUserLink(userId, undefined);
        }
      }
      const at = new Date(platform.now()).toISOString();
      menus.batches.set(requestId, {
        requestId,
        acceptedTime: at,
        completedTime: at,
        phase: "succeeded",
      });
      platform.announceState();
      return { status: 202, body: {} };
    },
  },
  {
    operationId: "validateRichMenuBatchRequest",
    method: "POST",
    pattern: "/v2/bot/richmenu/validate/batch",
    handle({ platform, channel, body }) {
      batchOperations(menusOf(platform, channel), body);
      return { body: {} };
    },
  },
  {
    operationId: "getRichMenuBatchProgress",
    method: "GET",
    pattern: "/v2/bot/richmenu/progress/batch",
    handle({ platform, channel, query }) {
      const batch = menusOf(platform, channel).batches.get(query.get("requestId") ?? "");
      if (!batch) throw new LineErrorResponse(404, "Not found");
      const { requestId: _id, ...progress } = batch;
      return { body: progress };
    },
  },
];
