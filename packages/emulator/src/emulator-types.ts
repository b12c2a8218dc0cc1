import type { z } from "zod";
import type { BotIdentity, EmulatorConfig } from "./config.ts";
import type { ActivityEvent, ApiCall, ChatMessage, DeliveryAttempt } from "./core/activity.ts";
import type { FaultInput } from "./core/faults.ts";
import type { Group, Room, User } from "./core/world.ts";
import type { eventBatchInputSchema, eventInputSchema } from "./events/event-input.ts";

export type EventInputData = z.input<typeof eventInputSchema>;
export type EventBatchInputData = z.input<typeof eventBatchInputSchema>;

export interface SentEvent {
  webhookEventId: string;
  replyToken?: string;
  messageId?: string;
  deliveryId: string;
}

export interface SentBatch {
  events: Array<Omit<SentEvent, "deliveryId">>;
  deliveryId: string;
}

export interface EmulatorState {
  bot: BotIdentity;
  webhookUrl: string;
  users: User[];
  groups: Group[];
  rooms: Room[];
}

export interface ConfigPatch {
  webhookUrl?: string;
  replyTokenTtlMs?: number;
  webhookTimeoutMs?: number;
  redelivery?: { enabled?: boolean; delaysMs?: number[] };
  rateLimits?: Record<string, number>;
}

/** A running (or ready to run) emulated LINE platform; every method mirrors the control API. */
export interface Emulator {
  /** Base URL once listening; give it to the SDK as `baseURL` (both API and data API). */
  readonly url: string;
  readonly channelSecret: string;
  readonly channelAccessToken: string;
  readonly bot: BotIdentity;
  listen(options?: { port?: number; host?: string }): Promise<string>;
  close(): Promise<void>;
  state(): EmulatorState;
  addUser(input: { displayName: string; pictureUrl?: string }): User;
  addGroup(input: { groupName: string; memberIds: string[] }): Group;
  addRoom(input: { memberIds: string[] }): Room;
  /** Makes a user do something; the webhook goes out in the background. */
  sendEvent(input: EventInputData): SentEvent;
  /** Several events in one webhook request. */
  sendEvents(input: EventBatchInputData): SentBatch;
  /** The console's Verify button. */
  verify(): Promise<{ status: number; error?: string }>;
  messages(chatId: string): ChatMessage[];
  /** Resolves once the chat holds at least `count` bot messages; rejects after `timeoutMs`. */
  waitForBotMessages(
    chatId: string,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<ChatMessage[]>;
  deliveries(): DeliveryAttempt[];
  /** Resolves with the delivery attempts once `count` of them satisfy `match`. */
  waitForDeliveries(
    match: (attempt: DeliveryAttempt) => boolean,
    options?: { count?: number; timeoutMs?: number },
  ): Promise<DeliveryAttempt[]>;
  /**
   * Resolves once a delivery (by the `deliveryId` of `sendEvent`) will make no more attempts: the
   * bot accepted it, redelivery gave up or is off, or the emulator closed.
   */
  deliveryDone(deliveryId: string): Promise<void>;
  apiCalls(): ApiCall[];
  addFault(input: FaultInput): { id: string };
  clearFaults(): void;
  config(): EmulatorConfig;
  configure(patch: ConfigPatch): EmulatorConfig;
  reset(): void;
  subscribe(listener: (event: ActivityEvent) => void): () => void;
}
