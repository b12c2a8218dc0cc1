import type { EmulatedChannel } from "../core/channels.ts";
import { jstDay } from "../core/jst-date.ts";
import type { MembershipPlan, MembershipSubscription } from "../core/memberships.ts";
import type { Platform } from "../core/platform.ts";
import { LineErrorResponse } from "../errors.ts";
import { isUserId } from "../ids.ts";
import { continuationPage } from "./paging.ts";
import type { Route } from "./route.ts";

const membershipsOf = (platform: Platform, channel: EmulatedChannel) =>
  platform.memberships.of(channel.name);

const MONTH_MS = 30 * 24 * 60 * 60_000;

function subscriptionView(plan: MembershipPlan, subscription: MembershipSubscription, now: number) {
  const joinedMs = subscription.joinedTime * 1000;
  // Billing is monthly from the day the user joined; months are counted whole, at least one.
  const months = Math.max(1, Math.ceil((now - joinedMs) / MONTH_MS));
  return {
    membership: {
      membershipId: plan.membershipId,
      title: plan.title,
      description: plan.description,
      benefits: plan.benefits,
      price: plan.price,
      currency: plan.currency,
    },
    user: {
      membershipNo: subscription.membershipNo,
      joinedTime: subscription.joinedTime,
      nextBillingDate: jstDay(joinedMs + months * MONTH_MS).replace(
        /^(\d{4})(\d{2})(\d{2})$/,
        "$1-$2-$3",
      ),
      totalSubscriptionMonths: months,
    },
  };
}

export const membershipRoutes: Route[] = [
  {
    operationId: "getMembershipSubscription",
    method: "GET",
    pattern: "/v2/bot/membership/subscription/{userId}",
    handle({ platform, channel, params }) {
      const userId = params.userId ?? "";
      if (!isUserId(userId)) {
        throw new LineErrorResponse(
          400,
          `The value for the 'userId' parameter is invalid: ${userId}`,
        );
      }
      const memberships = membershipsOf(platform, channel);
      const subscriptions = memberships.subscriptions.filter((s) => s.userId === userId);
      if (subscriptions.length === 0) throw new LineErrorResponse(404, "Not found");
      return {
        body: {
          subscriptions: subscriptions.flatMap((subscription) => {
            const plan = memberships.plans.get(subscription.membershipId);
            return plan ? [subscriptionView(plan, subscription, platform.now())] : [];
          }),
        },
      };
    },
  },
  {
    operationId: "getMembershipList",
    method: "GET",
    pattern: "/v2/bot/membership/list",
    handle({ platform, channel }) {
      const memberships = membershipsOf(platform, channel);
      return {
        body: {
          memberships: [...memberships.plans.values()].map((plan) => ({
            ...plan,
            memberCount: memberships.members(plan.membershipId).length,
          })),
        },
      };
    },
  },
  {
    operationId: "getJoinedMembershipUsers",
    method: "GET",
    pattern: "/v2/bot/membership/{membershipId}/users/ids",
    handle({ platform, channel, params, query }) {
      const memberships = membershipsOf(platform, channel);
      const membershipId = Number(params.membershipId);
      if (!memberships.plans.has(membershipId)) throw new LineErrorResponse(404, "Not found");
      // LINE leaves out members who no longer follow the bot.
      const userIds = memberships
        .members(membershipId)
        .map((s) => s.userId)
        .filter((id) => platform.world.users.get(id)?.isFriend);
      const page = continuationPage(userIds, query, { default: 300, max: 1000 });
      return { body: { userIds: page.items, ...(page.next ? { next: page.next } : {}) } };
    },
  },
];
