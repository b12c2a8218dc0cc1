import { EventEmitter } from "node:events";

/** One message in a chat's history, user or bot, as the chat UI shows it. */
export interface ChatMessage {
  id: string;
  chatId: string;
  from: "user" | "bot";
  userId?: string;
  via?: "reply" | "push" | "multicast" | "broadcast" | "narrowcast";
  /** The LINE message object as the bot sent it, or as the webhook delivered it. */
  message: Record<string, unknown>;
  sentAt: number;
  /** A push of scheduled work (`ctx.pushLater`, `ctx.schedule`): when it was due (epoch ms). */
  scheduledFor?: number;
  webhookEventId?: string;
  unsent?: boolean;
  edited?: boolean;
  /**
   * Set on a postback's displayText: LINE shows it as the user's message, but the bot gets only
   * the postback event (with this data), never a message event.
   */
  postback?: { data: string };
}

export interface DeliveryAttempt {
  id: string;
  /** Shared by the first attempt, its redeliveries and duplicates of one webhook request. */
  deliveryId: string;
  /** The channel whose bot the request went to. */
  channel: string;
  webhookEventIds: string[];
  attempt: number;
  kind: "original" | "redelivery" | "duplicate" | "verify";
  isRedelivery: boolean;
  /** The bot's HTTP status; 0 when no answer came (refused, timed out). */
  status: number;
  durationMs: number;
  error?: "request_timeout" | "could_not_connect" | "error_status_code" | "unclassified";
  body: string;
  at: number;
}

export interface ApiCall {
  id: string;
  method: string;
  path: string;
  /** The spec operation the call reached (`x-linefleet-operation`); absent for unknown paths. */
  operation?: string;
  status: number;
  requestId: string;
  retryKey?: string;
  /** The channel the call's access token belongs to (issuing calls: the channel asking). */
  channel?: string;
  body: unknown;
  response: unknown;
  at: number;
  fault?: string;
}

export type ActivityEvent =
  | { kind: "message"; data: ChatMessage }
  | { kind: "delivery"; data: DeliveryAttempt }
  | { kind: "api-call"; data: ApiCall }
  | { kind: "state"; data: unknown };

/**
 * What happened, in order: chat histories, webhook attempts and API calls, plus a feed of each
 * new entry for the SSE stream and for helpers that wait on the bot.
 */
export class Activity {
  readonly deliveries: DeliveryAttempt[] = [];
  readonly apiCalls: ApiCall[] = [];
  private readonly chats = new Map<string, ChatMessage[]>();
  private readonly feed = new EventEmitter();

  constructor() {
    this.feed.setMaxListeners(0);
  }

  addMessage(message: ChatMessage) {
    const list = this.chats.get(message.chatId) ?? [];
    list.push(message);
    this.chats.set(message.chatId, list);
    this.emit({ kind: "message", data: message });
  }

  /** Applies a change (unsend, edit) to a stored message and re-announces it. */
  updateMessage(chatId: string, id: string, change: (message: ChatMessage) => void) {
    const found = this.chats.get(chatId)?.find((m) => m.id === id);
    if (!found) return undefined;
    change(found);
    this.emit({ kind: "message", data: found });
    return found;
  }

  findMessage(id: string): ChatMessage | undefined {
    for (const list of this.chats.values()) {
      const found = list.find((m) => m.id === id);
      if (found) return found;
    }
    return undefined;
  }

  messages(chatId: string): ChatMessage[] {
    return [...(this.chats.get(chatId) ?? [])];
  }

  addDelivery(attempt: DeliveryAttempt) {
    this.deliveries.push(attempt);
    this.emit({ kind: "delivery", data: attempt });
  }

  addApiCall(call: ApiCall) {
    this.apiCalls.push(call);
    this.emit({ kind: "api-call", data: call });
  }

  announceState(state: unknown) {
    this.emit({ kind: "state", data: state });
  }

  subscribe(listener: (event: ActivityEvent) => void): () => void {
    this.feed.on("activity", listener);
    return () => this.feed.off("activity", listener);
  }

  clear() {
    this.deliveries.length = 0;
    this.apiCalls.length = 0;
    this.chats.clear();
  }

  private emit(event: ActivityEvent) {
    this.feed.emit("activity", event);
  }
}
