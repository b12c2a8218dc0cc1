import type { Responder, SendReport, SendVia } from "@linefleet/bot";
import {
  LineApiError,
  type LineClient,
  type Message,
  retryKeyFor,
  toLineApiError,
} from "@linefleet/line-client";
import type { SendLedger } from "./send-ledger.ts";
import { noSendObserver, type SendObserver } from "./send-observer.ts";

/** What a responder needs to know about the event it answers. */
export interface ResponderEvent {
  webhookEventId: string;
  timestamp: number;
  replyToken?: string | undefined;
  /** Where a push goes: the group, room or user the event came from. */
  chatId?: string | undefined;
  mode?: string | undefined;
  /** Scheduled work: when it was due (its pushes say so to the emulator). */
  scheduledFor?: number | undefined;
}

interface ResponderPolicy {
  /** A reply token older than this (from the event's timestamp) is not used; the message is pushed. */
  replyTokenMaxAgeMs: number;
  /** Push after a reply whose outcome is unknown. Off by default: the reply may have arrived. */
  pushAfterUnknownReply?: boolean;
  now?: () => number;
  /** Told of every send and fallback, for metrics. */
  observe?: SendObserver;
}

/**
 * Sends an event's answers exactly once as the user sees them: by reply while the token is young,
 * else by push with a deterministic retry key; every send recorded in the ledger, so a retry of
 * the event skips what was delivered and never turns a maybe-delivered reply into a second push.
 * A reply with an unknown outcome (timeout, dropped connection, 5xx) throws, so the event is
 * retried; the retry replies again with the same token, which LINE refuses if the first arrived.
 */
export class EventResponder implements Responder {
  readonly #event: ResponderEvent;
  readonly #client: LineClient;
  readonly #ledger: SendLedger;
  readonly #policy: ResponderPolicy;
  readonly #now: () => number;
  readonly #observe: SendObserver;
  #position = 0;
  #tokenSpent = false;

  constructor(
    event: ResponderEvent,
    client: LineClient,
    ledger: SendLedger,
    policy: ResponderPolicy,
  ) {
    this.#event = event;
    this.#client = client;
    this.#ledger = ledger;
    this.#policy = policy;
    this.#now = policy.now ?? Date.now;
    this.#observe = policy.observe ?? noSendObserver;
  }

  /** The last moment the reply token is used; later answers are pushed. */
  get replyDeadline(): number {
    return this.#event.timestamp + this.#policy.replyTokenMaxAgeMs;
  }

  get canReply(): boolean {
    return (
      this.#event.replyToken !== undefined &&
      this.#event.mode !== "standby" &&
      !this.#tokenSpent &&
      this.#now() < this.replyDeadline
    );
  }

  /** Answers by reply when the token is still good, else by push. */
  reply(messages: Message[]): Promise<SendReport> {
    return this.#send(messages, "reply");
  }

  /** Pushes to the event's chat, whatever the token's state. */
  push(messages: Message[]): Promise<SendReport> {
    return this.#send(messages, "push");
  }

  async #send(messages: Message[], preferred: SendVia): Promise<SendReport> {
    if (messages.length < 1 || messages.length > 5) {
      throw new RangeError(`LINE sends 1 to 5 messages per call, got ${messages.length}`);
    }
    const id = this.#event.webhookEventId;
    const position = this.#position++;
    if (this.#event.mode === "standby") {
      return { status: "skipped", via: preferred, reason: "standby" };
    }

    const useReply = preferred === "reply" && this.canReply;
    const earlier = await this.#ledger.claim(
      id,
      position,
      useReply ? "reply" : "push",
      this.#now(),
      preferred,
    );
    if (!earlier) {
      if (useReply) return this.#reply(position, messages, false);
      if (preferred === "reply" && this.#tokenTooOld) this.#observe.pushFallback("token_too_old");
      return this.#push(position, messages, true);
    }

    if (earlier.via === "reply") this.#tokenSpent = true;
    if (earlier.status === "delivered") {
      this.#observe.sent(earlier.via, "already_delivered");
      return { status: "skipped", via: earlier.via, reason: "already_sent" };
    }
    if (earlier.via === "push" || earlier.status === "rejected") {
      return this.#push(position, messages, earlier.via === "push");
    }
    // An earlier attempt's reply has an unknown outcome. Replying again with the same token is
    // safe: if the first one arrived, LINE refuses the used token rather than showing it twice.
    if (this.#tokenYoung) return this.#reply(position, messages, true);
    return this.#unknownReply(
      position,
      messages,
      earlier.error ?? "an earlier attempt was interrupted",
    );
  }

  /** A reply was possible but for the token's age. */
  get #tokenTooOld(): boolean {
    return (
      this.#event.replyToken !== undefined && !this.#tokenSpent && this.#now() >= this.replyDeadline
    );
  }

  get #tokenYoung(): boolean {
    return this.#event.replyToken !== undefined && this.#now() < this.replyDeadline;
  }

  /** `afterUnknown`: an earlier reply with this token may have arrived. */
  async #reply(position: number, messages: Message[], afterUnknown: boolean): Promise<SendReport> {
    const id = this.#event.webhookEventId;
    this.#tokenSpent = true;
    this.#observe.replyTokenAge(this.#now() - this.#event.timestamp);
    try {
      const result = await this.#client.reply(this.#event.replyToken as string, messages);
      this.#delivered("reply", false);
      await this.#ledger.record(id, position, {
        status: "delivered",
        via: "reply",
        at: this.#now(),
        ...(result.requestId ? { requestId: result.requestId } : {}),
      });
      return {
        status: "delivered",
        via: "reply",
        requestId: result.requestId,
        alreadyAccepted: false,
      };
    } catch (caught) {
      const error = toLineApiError(caught);
      this.#observe.lineApiError(statusOf(error));
      if (error.code === "invalid_reply_token") {
        // After an unknown outcome a refused token most likely means the first reply arrived.
        if (afterUnknown) {
          return this.#unknownReply(position, messages, error.message, error.requestId);
        }
        await this.#ledger.record(id, position, {
          status: "rejected",
          via: "reply",
          at: this.#now(),
          error: error.message,
        });
        this.#observe.sent("reply", "failed");
        this.#observe.pushFallback("token_rejected");
        return this.#push(position, messages, false);
      }
      this.#observe.sent("reply", error.outcome === "unknown" ? "unknown" : "failed");
      await this.#ledger.record(id, position, {
        status: error.outcome === "unknown" ? "unknown" : "rejected",
        via: "reply",
        at: this.#now(),
        error: error.message,
      });
      // Unknown outcomes are retried (with the same token, see above); rejections are final.
      throw error;
    }
  }

  #delivered(via: SendVia, alreadyAccepted: boolean) {
    this.#observe.sent(via, alreadyAccepted ? "already_delivered" : "delivered");
    if (!alreadyAccepted) this.#observe.answered(this.#now() - this.#event.timestamp);
  }

  /** A reply that may or may not have arrived: settle for not knowing rather than risk a double. */
  async #unknownReply(
    position: number,
    messages: Message[],
    reason: string,
    requestId?: string,
  ): Promise<SendReport> {
    if (this.#policy.pushAfterUnknownReply) return this.#push(position, messages, false);
    await this.#ledger.record(this.#event.webhookEventId, position, {
      status: "unknown",
      via: "reply",
      at: this.#now(),
      error: reason,
    });
    this.#observe.sent("reply", "unknown");
    return { status: "unknown", via: "reply", error: reason, ...(requestId ? { requestId } : {}) };
  }

  /** `claimed`: the ledger already records this position as a push being sent. */
  async #push(position: number, messages: Message[], claimed: boolean): Promise<SendReport> {
    const id = this.#event.webhookEventId;
    const to = this.#event.chatId;
    if (!to) {
      throw new LineApiError(
        "bad_request",
        "this event has no chat to push to and no usable reply token",
        {
          retryable: false,
          outcome: "not_sent",
        },
      );
    }
    if (!claimed)
      await this.#ledger.record(id, position, { status: "sending", via: "push", at: this.#now() });
    try {
      const scheduledFor = this.#event.scheduledFor;
      const result = await this.#client.push(
        to,
        messages,
        retryKeyFor(id, position),
        scheduledFor === undefined ? undefined : { scheduledFor },
      );
      this.#delivered("push", result.alreadyAccepted);
      const ledgerRequestId = result.acceptedRequestId ?? result.requestId;
      await this.#ledger.record(id, position, {
        status: "delivered",
        via: "push",
        at: this.#now(),
        ...(ledgerRequestId ? { requestId: ledgerRequestId } : {}),
      });
      return {
        status: "delivered",
        via: "push",
        requestId: result.requestId,
        ...(result.acceptedRequestId ? { acceptedRequestId: result.acceptedRequestId } : {}),
        alreadyAccepted: result.alreadyAccepted,
      };
    } catch (caught) {
      const error = toLineApiError(caught);
      this.#observe.lineApiError(statusOf(error));
      this.#observe.sent("push", error.retryable ? "unknown" : "failed");
      // The retry key makes a retried push safe whatever happened, so "unknown" needs no care here.
      await this.#ledger.record(id, position, {
        status: error.retryable ? "unknown" : "rejected",
        via: "push",
        at: this.#now(),
        error: error.message,
      });
      throw error;
    }
  }
}

function statusOf(error: LineApiError): string {
  return error.status === undefined ? error.code : String(error.status);
}
