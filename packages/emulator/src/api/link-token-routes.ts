import { LineApiError } from "../errors.ts";
import { newLinkToken } from "../ids.ts";
import type { Route } from "./route.ts";

/**
 * Issue link token (`issueLinkToken`), the first step of account linking: the bot sends the user
 * to its login page with the token; once the user logs in, LINE sends an `accountLink` event.
 */
export const linkTokenRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v2/bot/user/{userId}/linkToken",
    handle({ platform, channel, params }) {
      const user = platform.world.users.get(params.userId ?? "");
      // As the profile API: a user who is not a friend of the bot is not known to it.
      if (!user?.isFriend) throw new LineApiError(404, "Not found");
      const linkToken = newLinkToken();
      platform.linkTokens.issue(
        linkToken,
        { channel: channel.name, userId: user.userId },
        platform.now(),
      );
      return { body: { linkToken } };
    },
  },
];
