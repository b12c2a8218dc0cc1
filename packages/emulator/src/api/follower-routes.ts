import { invalidBody, LineErrorResponse } from "../errors.ts";
import { isUserId, newLinkToken } from "../ids.ts";
import { objectBody } from "./body.ts";
import { continuationPage } from "./paging.ts";
import type { Route } from "./route.ts";

/** Users and their link to the bot: followers, account-link tokens, read receipts. */
export const followerRoutes: Route[] = [
  {
    operationId: "getFollowers",
    method: "GET",
    pattern: "/v2/bot/followers/ids",
    handle({ platform, query }) {
      // The emulator's users who follow the bot now (not those who blocked it), oldest first.
      const followers = [...platform.world.users.values()]
        .filter((user) => user.isFriend)
        .map((user) => user.userId);
      const page = continuationPage(followers, query, { default: 300, max: 1000 });
      return { body: { userIds: page.items, ...(page.next ? { next: page.next } : {}) } };
    },
  },
  {
    operationId: "issueLinkToken",
    method: "POST",
    pattern: "/v2/bot/user/{userId}/linkToken",
    handle({ platform, channel, params }) {
      const user = platform.world.users.get(params.userId ?? "");
      if (!user?.isFriend) throw new LineErrorResponse(404, "Not found");
      const linkToken = newLinkToken();
      platform.linkTokens.issue(
        linkToken,
        { channel: channel.name, userId: user.userId },
        platform.now(),
      );
      return { body: { linkToken } };
    },
  },
  {
    operationId: "markMessagesAsRead",
    method: "POST",
    pattern: "/v2/bot/message/markAsRead",
    handle({ platform, body }) {
      const chat = objectBody(body).chat as { userId?: unknown } | undefined;
      const userId = chat?.userId;
      if (typeof userId !== "string" || !isUserId(userId)) {
        throw invalidBody([{ message: "Invalid user ID", property: "chat.userId" }]);
      }
      if (!platform.world.users.get(userId)?.isFriend)
        throw new LineErrorResponse(404, "Not found");
      platform.readUpTo.set(userId, platform.now());
      return { body: {} };
    },
  },
];
