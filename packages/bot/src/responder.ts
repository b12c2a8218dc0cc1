import type { Message } from "@linefleet/line-client";

/** How an answer went to LINE: with the event's reply token, or by push to its chat. */
export type SendVia = "reply" | "push";

/** What one batch of `ctx.reply`/`ctx.push`/`ctx.quote` came to. */
export type SendReport =
  | {
      status: "delivered";
      via: SendVia;
      /** LINE's `x-line-request-id` for this call. */
      requestId: string | undefined;
      /** LINE's `x-line-accepted-request-id`: the earlier request that delivered a retried push. */
      acceptedRequestId?: string | undefined;
      alreadyAccepted: boolean;
    }
  /** Sent by an earlier attempt of this event; nothing was sent again. */
  | { status: "skipped"; via: SendVia; reason: "already_sent" | "standby" }
  /** A reply may or may not have arrived (its retry found the token used, or too old); not pushed. */
  | { status: "unknown"; via: "reply"; error: string; requestId?: string | undefined };

/**
 * Where a context's answers go: the runtime that runs the bot gives one per event, and decides
 * how each batch reaches LINE (reply or push, exactly once; see @linefleet/delivery).
 */
export interface Responder {
  /** The last moment the reply token is used; later answers are pushed. */
  readonly replyDeadline: number;
  /** Answers by reply when the token is still good, else by push: 1 to 5 messages. */
  reply(messages: Message[]): Promise<SendReport>;
  /** Pushes to the event's chat, whatever the token's state: 1 to 5 messages. */
  push(messages: Message[]): Promise<SendReport>;
}
