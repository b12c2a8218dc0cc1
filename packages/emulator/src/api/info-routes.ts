import type { Platform } from "../core/platform.ts";
import type { Group, Room, User } from "../core/world.ts";
import { LineErrorResponse } from "../errors.ts";
import type { Route } from "./route.ts";

const notFound = () => new LineErrorResponse(404, "Not found");

function profile(user: User) {
  return {
    userId: user.userId,
    displayName: user.displayName,
    ...(user.pictureUrl ? { pictureUrl: user.pictureUrl } : {}),
  };
}

/** A group or room the bot is in, else LINE's 404. */
function chatOf(platform: Platform, kind: "group" | "room", id: string): Group | Room {
  const chat = kind === "group" ? platform.world.groups.get(id) : platform.world.rooms.get(id);
  if (!chat?.botIsMember) throw notFound();
  return chat;
}

function memberRoutes(kind: "group" | "room"): Route[] {
  const base = `/v2/bot/${kind}/{${kind}Id}`;
  const idOf = (params: Record<string, string>) => params[`${kind}Id`] ?? "";
  const name = kind === "group" ? "Group" : "Room";
  return [
    {
      operationId: `get${name}MemberProfile`,
      method: "GET",
      pattern: `${base}/member/{userId}`,
      handle({ platform, params }) {
        const chat = chatOf(platform, kind, idOf(params));
        const user = platform.world.users.get(params.userId ?? "");
        if (!user || !chat.memberIds.includes(user.userId)) throw notFound();
        return { body: profile(user) };
      },
    },
    {
      operationId: `get${name}MemberCount`,
      method: "GET",
      pattern: `${base}/members/count`,
      handle: ({ platform, params }) => ({
        body: { count: chatOf(platform, kind, idOf(params)).memberIds.length },
      }),
    },
    {
      operationId: `get${name}MembersIds`,
      method: "GET",
      pattern: `${base}/members/ids`,
      handle: ({ platform, params }) => ({
        body: { memberIds: [...chatOf(platform, kind, idOf(params)).memberIds] },
      }),
    },
    {
      operationId: `leave${name}`,
      method: "POST",
      pattern: `${base}/leave`,
      handle({ platform, params }) {
        chatOf(platform, kind, idOf(params)).botIsMember = false;
        platform.announceState();
        return { body: {} };
      },
    },
  ];
}

export const infoRoutes: Route[] = [
  {
    operationId: "getProfile",
    method: "GET",
    pattern: "/v2/bot/profile/{userId}",
    handle({ platform, params }) {
      const user = platform.world.users.get(params.userId ?? "");
      if (!user?.isFriend) throw notFound();
      return {
        body: {
          ...profile(user),
          ...(user.language ? { language: user.language } : {}),
          ...(user.statusMessage ? { statusMessage: user.statusMessage } : {}),
        },
      };
    },
  },
  {
    operationId: "getGroupSummary",
    method: "GET",
    pattern: "/v2/bot/group/{groupId}/summary",
    handle({ platform, params }) {
      const group = chatOf(platform, "group", params.groupId ?? "") as Group;
      return { body: { groupId: group.groupId, groupName: group.groupName } };
    },
  },
  ...memberRoutes("group"),
  ...memberRoutes("room"),
  {
    operationId: "getBotInfo",
    method: "GET",
    pattern: "/v2/bot/info",
    handle: ({ channel }) => ({
      body: {
        userId: channel.bot.userId,
        basicId: channel.bot.basicId,
        displayName: channel.bot.displayName,
        chatMode: "bot",
        markAsReadMode: "manual",
      },
    }),
  },
  {
    operationId: "getMessageQuota",
    method: "GET",
    pattern: "/v2/bot/message/quota",
    handle: ({ platform }) => {
      const value = platform.config.messageQuota;
      return { body: value === undefined ? { type: "none" } : { type: "limited", value } };
    },
  },
  {
    operationId: "getMessageQuotaConsumption",
    method: "GET",
    pattern: "/v2/bot/message/quota/consumption",
    behaviour: "computed",
    handle: ({ platform }) => ({ body: { totalUsage: platform.quotaUsage } }),
  },
];
