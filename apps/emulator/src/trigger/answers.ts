import type { ApiCall } from "@linefleet/emulator";
import { retryKeyFor } from "@linefleet/line-client";

/** The event whose answers the trigger prints: its ids, and the chat it happened in. */
export interface TriggeredEvent {
  webhookEventId: string;
  /** The event's `timestamp` (epoch ms), which its dedupe mark in linefleet is kept by. */
  timestamp: number;
  /**
   * The event's key in linefleet (eventKeyOf: its channel and webhookEventId), which its retry
   * keys and its job are named after.
   */
  eventKey: string;
  replyToken?: string;
  /** A user id (one-to-one chat), group id or room id. */
  chatId: string;
}

/** Messages the bot sent for the event, in one Messaging API call. */
export interface Answer {
  via: "reply" | "push" | "multicast" | "broadcast" | "narrowcast";
  /** Whom a push or multicast went to. */
  to?: string | string[];
  messages: Array<Record<string, unknown>>;
}

const sendPath = /^\/v2\/bot\/message\/(reply|push|multicast|broadcast|narrowcast)$/;

/**
 * linefleet names the n-th send call of an event after the event (`retryKeyFor(eventKey, n)`,
 * n from 0); this many calls is more than any handler makes.
 */
const positions = 256;

/**
 * Tells which Messaging API calls answered one event:
 * - a reply, by the event's reply token;
 * - a send with an X-Line-Retry-Key linefleet made for this event (its keys are name-based,
 *   version 5 UUIDs derived from the event's id, so another event's are told apart exactly);
 * - a push or multicast to the event's chat without such a key (a bot not run by linefleet, or
 *   one using random version 4 keys), made while the event was being handled.
 * Calls LINE refused delivered nothing and are no answer.
 */
export function createAnswerMatcher(event: TriggeredEvent) {
  const ownKeys = new Set(
    Array.from({ length: positions }, (_, position) => retryKeyFor(event.eventKey, position)),
  );
  return function answerOf(call: ApiCall): Answer | undefined {
    const via = sendPath.exec(call.path)?.[1] as Answer["via"] | undefined;
    if (!via || call.method !== "POST" || call.status < 200 || call.status >= 300) return undefined;
    const body = (call.body ?? {}) as {
      replyToken?: string;
      to?: string | string[];
      messages?: Array<Record<string, unknown>>;
    };
    const answer: Answer = {
      via,
      ...(body.to === undefined ? {} : { to: body.to }),
      messages: body.messages ?? [],
    };
    if (via === "reply") return body.replyToken === event.replyToken ? answer : undefined;
    if (call.retryKey && isNameBased(call.retryKey)) {
      return ownKeys.has(call.retryKey) ? answer : undefined;
    }
    const reachesChat = Array.isArray(body.to)
      ? body.to.includes(event.chatId)
      : body.to === event.chatId;
    return reachesChat ? answer : undefined;
  };
}

/** A version 5 UUID: its 13th hex digit is the version. */
const isNameBased = (uuid: string) => uuid.replaceAll("-", "")[12] === "5";

/** One line of a message, as the chat would show it in a list. */
export function describeMessage(message: Record<string, unknown>): string {
  if (message.type === "text") return String(message.text);
  if (message.type === "flex" || message.type === "template")
    return `[${message.type}] ${message.altText}`;
  return `[${message.type}] ${JSON.stringify(message)}`;
}
