import type { Platform } from "../core/platform.ts";
import { type ChatRef, chatRefId } from "../core/world.ts";
import { EmulatorError, errorCodes } from "../errors.ts";
import {
  newMarkAsReadToken,
  newMessageId,
  newQuoteToken,
  newReplyToken,
  newWebhookEventId,
} from "../ids.ts";
import type { WebhookEventObject } from "../webhook/dispatcher.ts";
import { accountLink } from "./account-link.ts";
import type { EventInput } from "./event-input.ts";
import { type EventKind, eventKinds, fieldOwners } from "./event-kinds.ts";
import { eventPayload } from "./event-payloads.ts";
import { messageContent } from "./message-content.ts";

export interface BuiltEvent {
  event: WebhookEventObject;
  replyToken?: string;
  messageId?: string;
}

type Payload = Record<string, unknown>;

const invalid = (message: string) => new EmulatorError(errorCodes.invalidInput, message);

const messageTypes = new Set(["text", "image", "video", "audio", "file", "location", "sticker"]);

function resolveChat(platform: Platform, input: EventInput): { chat: ChatRef; userId: string } {
  const chatInput = input.chat ?? { type: "user" as const };
  if (chatInput.type === "user") {
    const userId = input.from ?? [...platform.world.users.keys()][0];
    if (!userId) throw invalid("no user exists yet; create one first");
    platform.world.user(userId);
    return { chat: { type: "user", userId }, userId };
  }
  const chat: ChatRef =
    chatInput.type === "group"
      ? { type: "group", groupId: chatInput.groupId }
      : { type: "room", roomId: chatInput.roomId };
  const members = platform.world.membersOf(chat);
  const userId = input.from ?? members[0];
  if (!userId) throw invalid("the chat has no members");
  platform.world.user(userId);
  if (!members.includes(userId) && eventKinds[input.type].source !== "chat") {
    throw invalid(`${userId} is not a member of ${chatRefId(chat)}`);
  }
  return { chat, userId };
}

function sourceOf(chat: ChatRef, userId: string, withUser: boolean) {
  if (chat.type === "user") return { type: "user", userId };
  const user = withUser ? { userId } : {};
  return chat.type === "group"
    ? { type: "group", groupId: chat.groupId, ...user }
    : { type: "room", roomId: chat.roomId, ...user };
}

const places: Record<EventKind["where"], { fits: (chat: ChatRef) => boolean; name: string }> = {
  any: { fits: () => true, name: "" },
  oneToOne: { fits: (chat) => chat.type === "user", name: "one-to-one chats" },
  groupOrRoom: { fits: (chat) => chat.type !== "user", name: "groups and rooms" },
  group: { fits: (chat) => chat.type === "group", name: "groups" },
};

/** Input that makes sense for the event type: no field of another type, no chat where none is. */
function checkInput(input: EventInput, kind: EventKind, mode: "active" | "standby") {
  for (const [field, owner] of Object.entries(fieldOwners)) {
    if (input[field as keyof EventInput] !== undefined && owner !== input.type)
      throw invalid(`${field} goes only with a ${owner} event`);
  }
  if (kind.source === "none" && (input.from !== undefined || input.chat !== undefined))
    throw invalid(`${input.type} events have no source; leave out from and chat`);
  if (kind.activeOnly && mode !== "active")
    throw invalid(`${input.type} events are always sent in active mode`);
}

/** Where the event may happen and what it requires of the world, as at LINE. */
function checkAllowed(platform: Platform, input: EventInput, chat: ChatRef, userId: string) {
  const kind = eventKinds[input.type];
  const place = places[kind.where];
  if (!place.fits(chat)) throw invalid(`${input.type} happens only in ${place.name}`);
  if (chat.type === "user" && kind.friendOnly && !platform.world.user(userId).isFriend) {
    throw invalid(`${userId} has blocked the bot; send a follow event first`);
  }
  const holder = platform.world.holderOf(chat);
  if (holder && !holder.botIsMember && input.type !== "join") {
    throw invalid(`the bot is not in ${chatRefId(chat)}; send a join event first`);
  }
}

function ownMessage(platform: Platform, input: EventInput, chatId: string, userId: string) {
  if (!input.messageId) throw invalid(`${input.type} needs messageId`);
  const original = platform.activity.findMessage(input.messageId);
  if (
    !original ||
    original.chatId !== chatId ||
    original.from !== "user" ||
    original.userId !== userId
  ) {
    throw invalid(`${userId} sent no message ${input.messageId} in ${chatId}`);
  }
  if (original.postback) {
    throw invalid(
      `${input.messageId} is a postback's displayText; the bot never got it as a message`,
    );
  }
  return original;
}

function membersChange(platform: Platform, input: EventInput, chat: ChatRef, joining: boolean) {
  const ids = input.memberIds ?? [];
  if (ids.length === 0) throw invalid(`${input.type} needs memberIds`);
  for (const id of ids) platform.world.user(id);
  const holder = platform.world.holderOf(chat);
  if (holder) {
    holder.memberIds = joining
      ? [...new Set([...holder.memberIds, ...ids])]
      : holder.memberIds.filter((id) => !ids.includes(id));
  }
  return { members: ids.map((userId) => ({ type: "user", userId })) };
}

/** An event about the channel itself (module attached, bot suspended): no source, no reply. */
function sourcelessEvent(platform: Platform, input: EventInput): WebhookEventObject {
  const timestamp = platform.now();
  return {
    type: input.type,
    ...eventPayload(platform, input, { chatId: "", userId: "", now: timestamp }),
    webhookEventId: newWebhookEventId(timestamp),
    deliveryContext: { isRedelivery: false },
    timestamp,
    mode: "active",
  };
}

/**
 * Turns an event input into the webhook event LINE would send and applies what the event means
 * to the emulated world: chat history, content, friendship, membership, reply tokens.
 */
export function buildEvent(
  platform: Platform,
  input: EventInput,
  mode: "active" | "standby",
): BuiltEvent {
  const kind = eventKinds[input.type];
  checkInput(input, kind, mode);
  if (kind.source === "none") return { event: sourcelessEvent(platform, input) };
  const { chat, userId } = resolveChat(platform, input);
  checkAllowed(platform, input, chat, userId);
  const chatId = chatRefId(chat);
  const timestamp = platform.now();
  const webhookEventId = newWebhookEventId(timestamp);
  let type: string = input.type;
  let payload: Payload = {};
  let messageId: string | undefined;
  let linked = true;

  if (messageTypes.has(input.type)) {
    type = "message";
    messageId = newMessageId();
    const message = messageContent(platform, input, messageId, chatId);
    if (chat.type === "user") {
      const token = newMarkAsReadToken();
      platform.markAsReadTokens.set(token, chat);
      message.markAsReadToken = token;
    }
    payload = { message };
    platform.activity.addMessage({
      id: messageId,
      chatId,
      from: "user",
      userId,
      message,
      sentAt: timestamp,
      webhookEventId,
    });
  } else if (input.type === "messageEdited") {
    const original = ownMessage(platform, input, chatId, userId);
    if (original.message.type !== "text") throw invalid("only text messages can be edited");
    if (!input.text) throw invalid("messageEdited needs the new text");
    messageId = original.id;
    const message = {
      id: original.id,
      type: "text",
      quoteToken: newQuoteToken(),
      text: input.text,
    };
    payload = { message };
    platform.activity.updateMessage(chatId, original.id, (m) => {
      m.message = { ...m.message, text: message.text };
      m.edited = true;
    });
  } else if (input.type === "unsend") {
    const original = ownMessage(platform, input, chatId, userId);
    messageId = original.id;
    payload = { unsend: { messageId: original.id } };
    platform.content.markGone(original.id);
    platform.activity.updateMessage(chatId, original.id, (m) => {
      m.unsent = true;
    });
  } else if (input.type === "postback") {
    const data = input.data ?? "";
    payload = { postback: { data, ...(input.params ? { params: input.params } : {}) } };
    // Kept in the history so the chat shows it as LINE does, also after a reload.
    if (input.displayText) {
      platform.activity.addMessage({
        id: newMessageId(),
        chatId,
        from: "user",
        userId,
        message: { type: "text", text: input.displayText },
        sentAt: timestamp,
        webhookEventId,
        postback: { data },
      });
    }
  } else if (input.type === "follow") {
    platform.world.user(userId).isFriend = true;
    payload = { follow: { isUnblocked: input.isUnblocked ?? false } };
  } else if (input.type === "unfollow") {
    platform.world.user(userId).isFriend = false;
  } else if (input.type === "join" || input.type === "leave") {
    const holder = platform.world.holderOf(chat);
    if (holder) holder.botIsMember = input.type === "join";
  } else if (input.type === "memberJoined") {
    payload = { joined: membersChange(platform, input, chat, true) };
  } else if (input.type === "memberLeft") {
    payload = { left: membersChange(platform, input, chat, false) };
  } else if (input.type === "accountLink") {
    const link = accountLink(platform, input, userId, timestamp);
    payload = { link };
    // LINE leaves out the source and the reply token of a link that failed.
    linked = link.result === "ok";
  } else {
    payload = eventPayload(platform, input, { chatId, userId, now: timestamp }) ?? {};
  }

  const replyToken = mode === "active" && kind.replyable && linked ? newReplyToken() : undefined;
  if (replyToken)
    platform.replyTokens.issue(replyToken, { chat, webhookEventId, eventTimestamp: timestamp });

  const event: WebhookEventObject = {
    type,
    ...payload,
    webhookEventId,
    deliveryContext: { isRedelivery: false },
    timestamp,
    ...(linked ? { source: sourceOf(chat, userId, kind.source === "user") } : {}),
    ...(replyToken ? { replyToken } : {}),
    mode,
  };
  return { event, ...(replyToken ? { replyToken } : {}), ...(messageId ? { messageId } : {}) };
}
