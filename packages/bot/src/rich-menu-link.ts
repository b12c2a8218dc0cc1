import type { LineClient } from "@linefleet/line-client";

/** LINE's rich menu ids; an alias (at most 32 of `[a-z0-9_-]`) can never look like one. */
const RICH_MENU_ID = /^richmenu-[0-9a-f]{32}$/;

/**
 * Links a user to a rich menu named by its id or its alias. The alias is looked up at each call,
 * not remembered: `linefleet richmenu sync` re-points an alias when it replaces a menu.
 */
export async function linkRichMenu(client: LineClient, userId: string, aliasOrId: string) {
  const richMenuId = RICH_MENU_ID.test(aliasOrId)
    ? aliasOrId
    : (await client.api.getRichMenuAlias(aliasOrId)).richMenuId;
  await client.api.linkRichMenuIdToUser(userId, richMenuId);
}
