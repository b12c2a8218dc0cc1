import type { ChatMessage } from "../core/activity.ts";
import type { EmulatedChannel } from "../core/channels.ts";
import type { AcceptedMessage, Platform } from "../core/platform.ts";
import type { ChatRef } from "../core/world.ts";
import { invalidBody, LineErrorResponse } from "../errors.ts";
import { isGroupId, isRoomId, isUserId, newMessageId } from "../ids.ts";
import { objectBody } from "./body.ts";
import { narrowcastRecipients } from "./narrowcast-recipients.ts";
import type { Route } from "./route.ts";

type Messages = Array<Record<string, unknown>>;

/** The messages of a send request; the pipeline has validated them against LINE's rules. */
const messagesOf = (body: Record<string, unknown>): Messages => body.messages as Messages;

const failedToSend = () => new LineErrorResponse(400, "Failed to send messages");

/** Who a push reaches; LINE refuses chats the bot is not in and ids it does not know. */
function pushTarget(platform: Platform, to: unknown): ChatRef | undefined {
  if (typeof to !== "string") throw invalidBody([{ message: "Must not be null", property: "to" }]);
  if (isUserId(to)) {
    const user = platform.world.users.get(to);
    if (!user) throw failedToSend();
    // LINE answers 200 but delivers nothing to users who blocked the bot.
    return user.isFriend ? { type: "user", userId: to } : undefined;
  }
  if (isGroupId(to)) {
    if (!platform.world.groups.get(to)?.botIsMember) throw failedToSend();
    return { type: "group", groupId: to };
  }
  if (isRoomId(to)) {
    if (!platform.world.rooms.get(to)?.botIsMember) throw failedToSend();
    return { type: "room", roomId: to };
  }
  throw failedToSend();
}

function sendToUsers(
  platform: Platform,
  userIds: string[],
  messages: Messages,
  via: NonNullable<ChatMessage["via"]>,
) {
  for (const userId of userIds) {
    platform.deliverBotMessages({ type: "user", userId }, messages, via);
    platform.quotaUsage += messages.length;
  }
}

/** Remembers an accepted send for the statistics computed from the emulator's traffic. */
function record(
  context: { platform: Platform; channel: EmulatedChannel; requestId: string },
  kind: "reply" | "push" | "multicast" | "broadcast" | "narrowcast",
  recipients: string[],
  messages: Messages,
  request: Record<string, unknown> = {},
) {
  const units = request.customAggregationUnits;
  context.platform.traffic.record({
    requestId: context.requestId,
    channel: context.channel.name,
    kind,
    at: context.platform.now(),
    recipients,
    messages,
    aggregationUnits: Array.isArray(units) ? units.map(String) : [],
  });
}

/** The users a message to a chat reaches: the user, or the members of a group or room. */
function chatRecipients(platform: Platform, chat: ChatRef): string[] {
  return platform.world.membersOf(chat);
}

const friends = (platform: Platform) =>
  [...platform.world.users.values()].filter((u) => u.isFriend).map((u) => u.userId);

export const sendRoutes: Route[] = [
  {
    operationId: "replyMessage",
    method: "POST",
    pattern: "/v2/bot/message/reply",
    handle(context) {
      const { platform, channel, body } = context;
      const request = objectBody(body);
      const messages = messagesOf(request);
      if (typeof request.replyToken !== "string") {
        throw invalidBody([{ message: "Must not be null", property: "replyToken" }]);
      }
      // Another channel's reply token is as good as none, and is not used up.
      const owner = platform.replyTokenChannels.get(request.replyToken);
      if (owner !== undefined && owner !== channel.name) {
        throw new LineErrorResponse(400, "Invalid reply token");
      }
      const check = platform.replyTokens.consume(
        request.replyToken,
        platform.now(),
        platform.config.replyTokenTtlMs,
      );
      if (!check.ok) throw new LineErrorResponse(400, "Invalid reply token");
      const sentMessages = platform.deliverBotMessages(check.chat, messages, "reply");
      record(context, "reply", chatRecipients(platform, check.chat), messages);
      return { body: { sentMessages } };
    },
  },
  {
    operationId: "pushMessage",
    method: "POST",
    pattern: "/v2/bot/message/push",
    acceptsRetryKey: true,
    handle(context) {
      const { platform, body } = context;
      const request = objectBody(body);
      const messages = messagesOf(request);
      const target = pushTarget(platform, request.to);
      let sentMessages: AcceptedMessage[];
      if (target) {
        sentMessages = platform.deliverBotMessages(target, messages, "push", context.scheduledFor);
        platform.quotaUsage += messages.length;
        record(context, "push", chatRecipients(platform, target), messages, request);
      } else {
        sentMessages = messages.map(() => ({ id: newMessageId() }));
      }
      return { body: { sentMessages }, sentMessages };
    },
  },
  {
    operationId: "multicast",
    method: "POST",
    pattern: "/v2/bot/message/multicast",
    acceptsRetryKey: true,
    handle(context) {
      const { platform, body } = context;
      const request = objectBody(body);
      const messages = messagesOf(request);
      const to = request.to;
      if (!Array.isArray(to) || to.length < 1 || to.length > 500) {
        throw invalidBody([{ message: "Size must be between 1 and 500", property: "to" }]);
      }
      const bad = to.findIndex((id) => typeof id !== "string" || !isUserId(id));
      if (bad >= 0) throw invalidBody([{ message: "Invalid user ID", property: `to[${bad}]` }]);
      const reachable = [...new Set(to as string[])].filter(
        (id) => platform.world.users.get(id)?.isFriend,
      );
      sendToUsers(platform, reachable, messages, "multicast");
      record(context, "multicast", reachable, messages, request);
      return { body: {} };
    },
  },
  {
    operationId: "broadcast",
    method: "POST",
    pattern: "/v2/bot/message/broadcast",
    acceptsRetryKey: true,
    handle(context) {
      const { platform, body } = context;
      const messages = messagesOf(objectBody(body));
      const targets = friends(platform);
      sendToUsers(platform, targets, messages, "broadcast");
      record(context, "broadcast", targets, messages);
      return { body: {} };
    },
  },
  {
    operationId: "narrowcast",
    method: "POST",
    pattern: "/v2/bot/message/narrowcast",
    acceptsRetryKey: true,
    handle(context) {
      const { platform, channel, body, requestId } = context;
      const request = objectBody(body);
      const messages = messagesOf(request);
      const targets = narrowcastRecipients(platform, channel, request.recipient);
      sendToUsers(platform, targets, messages, "narrowcast");
      record(context, "narrowcast", targets, messages);
      platform.narrowcasts.set(requestId, {
        acceptedTime: new Date(platform.now()).toISOString(),
        targetCount: targets.length,
      });
      return { status: 202, body: {} };
    },
  },
  {
    operationId: "getNarrowcastProgress",
    method: "GET",
    pattern: "/v2/bot/message/progress/narrowcast",
    handle({ platform, query }) {
      const job = platform.narrowcasts.get(query.get("requestId") ?? "");
      if (!job) throw new LineErrorResponse(404, "Not found");
      return {
        body: {
          phase: "succeeded",
          successCount: job.targetCount,
          failureCount: 0,
          targetCount: job.targetCount,
          acceptedTime: job.acceptedTime,
          completedTime: job.acceptedTime,
        },
      };
    },
  },
  ...(["reply", "push", "multicast", "narrowcast", "broadcast"] as const).map(
    (kind): Route => ({
      operationId: `validate${kind[0]?.toUpperCase()}${kind.slice(1)}`,
      method: "POST",
      pattern: `/v2/bot/message/validate/${kind}`,
      handle({ body }) {
        messagesOf(objectBody(body));
        return { body: {} };
      },
    }),
  ),
  {
    operationId: "showLoadingAnimation",
    method: "POST",
    pattern: "/v2/bot/chat/loading/start",
    handle({ body }) {
      const request = objectBody(body);
      const details = [];
      if (typeof request.chatId !== "string" || !isUserId(request.chatId)) {
        details.push({
          message:
            "Only user id is acceptable, please confirm if there are any group/room ids or illegal ids.",
          property: "chatId",
        });
      }
      const seconds = request.loadingSeconds ?? 20;
      if (typeof seconds !== "number" || seconds < 5 || seconds > 60) {
        details.push({ message: "Must be between 5 and 60", property: "loadingSeconds" });
      }
      if (typeof seconds !== "number" || seconds % 5 !== 0) {
        details.push({ message: "must be a multiple of five", property: "loadingSeconds" });
      }
      if (details.length > 0) throw invalidBody(details);
      return { status: 202, body: {} };
    },
  },
  {
    operationId: "markMessagesAsReadByToken",
    method: "POST",
    pattern: "/v2/bot/chat/markAsRead",
    handle({ platform, body }) {
      const token = objectBody(body).markAsReadToken;
      if (typeof token !== "string" || !platform.markAsReadTokens.has(token)) {
        throw new LineErrorResponse(
          400,
          "Invalid markAsReadToken. Tokens must be used by the bot that received them via Webhook.",
        );
      }
      return { body: {} };
    },
  },
];
