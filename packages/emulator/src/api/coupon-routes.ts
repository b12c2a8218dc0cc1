import { ulid } from "ulid";
import type { EmulatedChannel } from "../core/channels.ts";
import { type Coupon, couponStatus } from "../core/coupons.ts";
import type { Platform } from "../core/platform.ts";
import { type ErrorDetail, invalidBody, LineErrorResponse } from "../errors.ts";
import { objectBody } from "./body.ts";
import { continuationPage } from "./paging.ts";
import type { Route } from "./route.ts";

const couponsOf = (platform: Platform, channel: EmulatedChannel) =>
  platform.coupons.of(channel.name);

const isInteger = (value: unknown): value is number => Number.isInteger(value);
const acquisitionTypes = new Set(["normal", "lottery"]);
const rewardTypes = new Set(["cashBack", "discount", "free", "gift", "others"]);

/** The rules of LINE's coupon create request that its schema states. */
function couponSettings(body: unknown): Coupon["settings"] {
  const request = objectBody(body);
  const details: ErrorDetail[] = [];
  const need = (ok: boolean, property: string, message: string) => {
    if (!ok) details.push({ message, property });
  };
  const title = request.title;
  need(
    typeof title === "string" && title.length >= 1 && title.length <= 60,
    "title",
    "Length must be between 1 and 60",
  );
  need(
    request.description === undefined ||
      (typeof request.description === "string" && request.description.length <= 1000),
    "description",
    "Length must be between 0 and 1000",
  );
  need(
    request.usageCondition === undefined ||
      (typeof request.usageCondition === "string" && request.usageCondition.length <= 100),
    "usageCondition",
    "Length must be between 0 and 100",
  );
  need(isInteger(request.startTimestamp), "startTimestamp", "Must not be null");
  need(isInteger(request.endTimestamp), "endTimestamp", "Must not be null");
  if (isInteger(request.startTimestamp) && isInteger(request.endTimestamp)) {
    need(
      request.endTimestamp > request.startTimestamp,
      "endTimestamp",
      "Must be after startTimestamp",
    );
  }
  need(
    isInteger(request.maxUseCountPerTicket) && request.maxUseCountPerTicket <= 1,
    "maxUseCountPerTicket",
    "Must be at most 1",
  );
  need(
    request.visibility === "UNLISTED" || request.visibility === "PUBLIC",
    "visibility",
    "Must be one of UNLISTED, PUBLIC",
  );
  need(typeof request.timezone === "string", "timezone", "Must not be null");
  const acquisition = request.acquisitionCondition as { type?: unknown } | undefined;
  need(
    acquisitionTypes.has(String(acquisition?.type)),
    "acquisitionCondition.type",
    "Must be one of normal, lottery",
  );
  const reward = request.reward as { type?: unknown } | undefined;
  need(
    reward === undefined || rewardTypes.has(String(reward?.type)),
    "reward.type",
    "Must be one of cashBack, discount, free, gift, others",
  );
  if (details.length > 0) throw invalidBody(details);
  return request as Coupon["settings"];
}

function couponOf(platform: Platform, channel: EmulatedChannel, couponId: string | undefined) {
  const coupon = couponsOf(platform, channel).get(couponId ?? "");
  if (!coupon) throw new LineErrorResponse(404, "Coupon not found");
  return coupon;
}

export const couponRoutes: Route[] = [
  {
    operationId: "createCoupon",
    checkBody: couponSettings,
    method: "POST",
    pattern: "/v2/bot/coupon",
    handle({ platform, channel, body }) {
      const settings = couponSettings(body);
      const couponId = ulid(platform.now());
      couponsOf(platform, channel).set(couponId, {
        couponId,
        createdTimestamp: Math.floor(platform.now() / 1000),
        closed: false,
        settings,
      });
      return { body: { couponId } };
    },
  },
  {
    operationId: "listCoupon",
    method: "GET",
    pattern: "/v2/bot/coupon",
    handle({ platform, channel, query }) {
      const wanted = new Set(query.getAll("status"));
      const coupons = [...couponsOf(platform, channel).values()].filter(
        (coupon) => wanted.size === 0 || wanted.has(couponStatus(coupon, platform.now())),
      );
      const page = continuationPage(coupons, query, { default: 20, max: 100 });
      return {
        body: {
          items: page.items.map((coupon) => ({
            couponId: coupon.couponId,
            title: coupon.settings.title,
          })),
          ...(page.next ? { next: page.next } : {}),
        },
      };
    },
  },
  {
    operationId: "getCouponDetail",
    method: "GET",
    pattern: "/v2/bot/coupon/{couponId}",
    handle({ platform, channel, params }) {
      const coupon = couponOf(platform, channel, params.couponId);
      return {
        body: {
          ...coupon.settings,
          couponId: coupon.couponId,
          createdTimestamp: coupon.createdTimestamp,
          status: couponStatus(coupon, platform.now()),
        },
      };
    },
  },
  {
    operationId: "closeCoupon",
    method: "PUT",
    pattern: "/v2/bot/coupon/{couponId}/close",
    handle({ platform, channel, params }) {
      const coupon = couponOf(platform, channel, params.couponId);
      if (couponStatus(coupon, platform.now()) === "CLOSED") {
        throw new LineErrorResponse(410, "The coupon is already closed");
      }
      coupon.closed = true;
      return { body: {} };
    },
  },
];
