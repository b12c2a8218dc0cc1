import type { Readable } from "node:stream";
import type { LineClient, Message } from "@linefleet/line-client";
import type { Channel } from "./channel.ts";
import type { LineEvent } from "./events.ts";
import type { Profile } from "./profile.ts";
import type { SendReport } from "./responder.ts";
import type { CancelReport, When } from "./schedule.ts";
import type { BotServices } from "./services.ts";

/** Anything a handler may pass to reply or push: a LINE message object, or plain text. */
export type Say = Message | string;

/**
 * One log level, called as pino takes it: `log.info("text")`, `log.info({ orderId }, "ordered")`,
 * or printf-style `log.info("order %s", id)`. An `err` field is serialised with its stack.
 */
export interface LogFn {
  (object: object, message?: string, ...args: unknown[]): void;
  (message: string, ...args: unknown[]): void;
}

/** `ctx.log`: the levels of a pino logger (linefleet's workers pass one). */
export interface BotLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
}

/** Where an event happened: a one-to-one chat, a group or a multi-person room. */
export type ChatType = "user" | "group" | "room";

export interface GetContentOptions {
  /** Refuse content larger than this many bytes (`ContentTooLargeError`). Default 10 MiB. */
  maxBytes?: number;
  /**
   * How long to keep asking while LINE answers 202 (a large video or audio still being prepared).
   * Past this the event is retried later (`RetryAfterError`). Default 10 s.
   */
  preparingWaitMs?: number;
}

/**
 * What a handler gets for one event. `E` is the event (narrowed by the route), `S` the session
 * type given to `createBot({ session })`; middleware adds its own properties on top, and the
 * runtime its services (`BotServices`: `ctx.redis`, `ctx.keyPrefix` under linefleet's workers).
 */
export interface BotContext<E = LineEvent, S = undefined> extends BotServices {
  readonly event: E;
  /** The bot's user ID the webhook was addressed to. */
  readonly destination: string;
  /** The channel the event came to (`name` is "default" for the single-channel setup). */
  readonly channel: Channel;
  /** The group, room or user the event came from; undefined for events without a source. */
  readonly chatId: string | undefined;
  /** The user who caused the event, when LINE says (not on every group event). */
  readonly userId: string | undefined;
  /** `standby`: another channel handles this chat; linefleet sends nothing for such events. */
  readonly mode: "active" | "standby";
  /** Whether LINE sent this event before (a redelivery); handlers run once per event anyway. */
  readonly isRedelivery: boolean;
  /** Epoch ms after which `reply` no longer uses the reply token and pushes instead. */
  readonly deadline: number;
  /** Whether a text message mentions this bot (`mention.mentionees[].isSelf`). */
  readonly isMentioned: boolean;
  /** The chat's type (`source.type`); undefined for events without a source. */
  readonly chatType: ChatType | undefined;
  /** The text of a text message exactly as sent (mentions included); undefined for other events. */
  readonly text: string | undefined;
  /**
   * The text without the bot's own mentions, trimmed: `order latte` for `@Coffee bot order latte`.
   * Other users' mentions stay. Undefined for events that are not text messages.
   */
  readonly textWithoutMention: string | undefined;
  /**
   * Which try at this event this is, from 1. A handler that threw is run again (see the errors
   * table of docs/writing-bots.md); messages an earlier attempt sent are not sent again.
   */
  readonly attempt: number;
  /** A logger whose lines carry the event's `webhookEventId`, job id, type and channel. */
  readonly log: BotLogger;
  /** LINE's API for everything beyond what the context wraps. */
  readonly line: LineClient;
  /**
   * The chat's session, loaded before the handlers ran. Change it or assign a new value; it is
   * saved only if the event succeeds, and only if no other event saved the chat's session
   * meanwhile (otherwise the event is retried). `undefined` unless `createBot({ session })`.
   */
  session: S;
  /**
   * Answers by reply while the token is young, else by push; never twice for one event.
   * More than 5 messages: the first 5 by reply, the rest by push, in order. One report per batch.
   */
  reply(...messages: Say[]): Promise<SendReport[]>;
  /** Sends to the event's chat by push (counts toward the monthly message quota), 5 per batch. */
  push(...messages: Say[]): Promise<SendReport[]>;
  /** Replies quoting the event's message (its `quoteToken`, on the first text or sticker). */
  quote(...messages: Say[]): Promise<SendReport[]>;
  /**
   * Shows the typing animation for `seconds` (5–60, rounded up to a multiple of 5; default 20)
   * or until the bot's next message. One-to-one chats only: elsewhere it does nothing.
   */
  showLoading(seconds?: number): Promise<void>;
  /** The profile of the user who caused the event, cached by the runtime (Redis: an hour). */
  getProfile(): Promise<Profile>;
  /** The bytes of the event's image, video, audio or file message, as a stream. */
  getContent(options?: GetContentOptions): Promise<Readable>;
  /** Marks the chat read up to this message (`markAsReadToken`); false when the event has none. */
  markAsRead(): Promise<boolean>;
  /**
   * Starts the conversation `name` (registered with `bot.conversation`) in this chat, ending any
   * other in progress: its function runs now, up to its first wait. `args` (JSON) is `conv.args`.
   */
  enter(name: string, args?: unknown): Promise<void>;
  /**
   * Shows the user who caused the event this rich menu (its alias, as declared for
   * `linefleet richmenu sync`, or its id) instead of the default one. The link survives a sync
   * that replaces the menu.
   */
  linkRichMenu(aliasOrId: string): Promise<void>;
  /** Takes the user's own rich menu away: they see the default menu again, if there is one. */
  unlinkRichMenu(): Promise<void>;
  /**
   * Pushes `messages` to this chat later: `when` is ms from now or a `Date`. Sent once, in the
   * chat's order, even if workers die or the fleet restarts; resolves once it is stored, with the
   * id `cancelLater` takes. A retried event schedules nothing twice.
   */
  pushLater(when: When, ...messages: Say[]): Promise<{ id: string }>;
  /**
   * Runs the handler `bot.onSchedule(name, …)` for this chat later, with `data` (kept as JSON),
   * in the chat's order, with its session, once.
   */
  schedule(name: string, when: When, data?: unknown): Promise<{ id: string }>;
  /** Cancels a `pushLater` or `schedule` of this chat, unless it has started: then `too_late`. */
  cancelLater(id: string): Promise<CancelReport>;
}

export function toMessages(says: Say[]): Message[] {
  return says.map((say) => (typeof say === "string" ? { type: "text", text: say } : say));
}
