import type { LineClient, Message, SendReport } from "@linefleet/line-client";
import type { WebhookEvent } from "@linefleet/webhook";

/** Anything a handler may pass to reply or push: a LINE message object, or plain text. */
export type Say = Message | string;

export interface BotLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  debug(object: object, message?: string): void;
}

/** What a handler gets for one event. */
export interface BotContext<E = WebhookEvent> {
  readonly event: E;
  /** The bot's user ID the webhook was addressed to. */
  readonly destination: string;
  /** The channel the event came to: its name in CHANNELS_FILE ("default" for one channel). */
  readonly channel: { readonly name: string; readonly botUserId?: string | undefined };
  /** The group, room or user the event came from; undefined for events without a source. */
  readonly chatId: string | undefined;
  /** Whether LINE sent this event before (a redelivery); handlers run once per event anyway. */
  readonly isRedelivery: boolean;
  /** Epoch ms after which `reply` no longer uses the reply token and pushes instead. */
  readonly replyDeadline: number;
  readonly log: BotLogger;
  /** LINE's API for everything beyond answering: profiles, message content (`line.blob`), … */
  readonly line: LineClient;
  /** Answers by reply while the token is young, else by push; never twice for one event. */
  reply(...messages: Say[]): Promise<SendReport>;
  /** Sends to the event's chat by push (counts toward the monthly message quota). */
  push(...messages: Say[]): Promise<SendReport>;
}

export function toMessages(says: Say[]): Message[] {
  return says.map((say) => (typeof say === "string" ? { type: "text", text: say } : say));
}
