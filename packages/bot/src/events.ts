import type { webhook } from "@line/bot-sdk";

/** Every event type LINE documents, typed from the SDK's generated webhook models. */
export type LineEvent = webhook.Event;
export type LineEventType = LineEvent["type"];
export type EventOfType<T extends LineEventType> = Extract<LineEvent, { type: T }>;

/** The content of each message type a user can send. */
export type MessageContent = webhook.MessageContent;
export type MessageType = MessageContent["type"];
export type MessageOfType<T extends MessageType> = Extract<MessageContent, { type: T }>;
/** A message event whose message is of type `T`. */
export type MessageEventOf<T extends MessageType> = webhook.MessageEvent & {
  message: MessageOfType<T>;
};
export type TextMessageEvent = MessageEventOf<"text">;

/**
 * What a date/time picker or rich menu switch adds to a postback (`postback.params`). The SDK types
 * it as a string map; these are the shapes LINE documents, so `"date" in params` narrows.
 */
export type PostbackParams =
  | { date: string }
  | { time: string }
  | { datetime: string }
  | {
      newRichMenuAliasId: string;
      status: "SUCCESS" | "RICHMENU_ALIAS_ID_NOTFOUND" | "RICHMENU_NOTFOUND" | "FAILED";
    };

/** A postback as a handler sees it: LINE's `data`, parsed as a query string, and typed `params`. */
export interface Postback {
  readonly data: string;
  /** `data` parsed as `key=value&…` (the usual convention; empty when `data` is not one). */
  readonly query: URLSearchParams;
  readonly params: PostbackParams | undefined;
}
