import { type ErrorDetail, invalidBody, LineErrorResponse } from "../errors.ts";
import { isUserId } from "../ids.ts";
import { objectBody } from "./body.ts";
import type { Route } from "./route.ts";

/** LINE's corporate options: LINE notification messages (PNP) and mission stickers. */
export const partnerRoutes: Route[] = [
  {
    operationId: "pushMessagesByPhone",
    method: "POST",
    pattern: "/bot/pnp/push",
    handle({ platform, channel, body, requestId }) {
      const request = objectBody(body);
      // The messages were validated with the rest of the body before this handler ran.
      const details: ErrorDetail[] = [];
      if (typeof request.to !== "string" || !/^[0-9a-f]{64}$/.test(request.to)) {
        details.push({ message: "Must be a SHA-256 hash of an E.164 number", property: "to" });
      }
      if (details.length > 0) throw invalidBody(details);
      // Emulated users have no phone numbers, so the message matches no one and reaches no chat;
      // it is accepted and counted as LINE counts a notification that found no user.
      platform.traffic.record({
        requestId,
        channel: channel.name,
        kind: "pnp",
        at: platform.now(),
        recipients: [],
        messages: request.messages as Array<Record<string, unknown>>,
        aggregationUnits: [],
      });
      return { body: {} };
    },
  },
  {
    operationId: "missionStickerV3",
    method: "POST",
    pattern: "/shop/v3/mission",
    handle({ platform, channel, body }) {
      const request = objectBody(body);
      const details = [];
      if (typeof request.to !== "string" || !isUserId(request.to)) {
        details.push({ message: "Invalid user ID", property: "to" });
      }
      if (typeof request.productId !== "string" || request.productId === "") {
        details.push({ message: "Must not be null", property: "productId" });
      }
      if (request.productType !== "STICKER") {
        details.push({ message: "Must be STICKER", property: "productType" });
      }
      if (typeof request.sendPresentMessage !== "boolean") {
        details.push({ message: "Must not be null", property: "sendPresentMessage" });
      }
      if (details.length > 0) throw invalidBody(details);
      if (!platform.world.users.get(request.to as string)?.isFriend) {
        throw new LineErrorResponse(400, "Failed to send messages");
      }
      platform.missionStickers.push({
        channel: channel.name,
        userId: request.to as string,
        productId: request.productId as string,
        sendPresentMessage: request.sendPresentMessage as boolean,
        at: platform.now(),
      });
      return { body: {} };
    },
  },
];
