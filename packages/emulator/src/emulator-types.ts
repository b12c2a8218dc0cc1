import type { z } from "zod";
import type { BotIdentity, EmulatorConfig } from "./config.ts";
import type { ActivityEvent, ApiCall, ChatMessage, DeliveryAttempt } from "./core/activity.ts";
import type { FaultInput } from "./core/faults.ts";
import type { MembershipPlan, MembershipSubscription } from "./core/memberships.ts";
import type { Group, Room, User } from "./core/world.ts";
import type { eventBatchInputSchema, eventInputSchema } from "./events/event-input.ts";

export type EventInputData = z.input<typeof eventInputSchema>;
export type EventBatchInputData = z.input<typeof eventBatchInputSchema>;

export interface SentEvent {
  webhookEventId: string;
  /** The event's `timestamp` (epoch ms), as in the webhook. */
  timestamp: number;
  replyToken?: string;
  messageId?: string;
  deliveryId: string;
}

/** A rich menu as the chat shows it (its image is served by LINE's download-image operation). */
export interface ShownRichMenu {
  richMenuId: string;
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: unknown[];
  /**
   * How the user got it: a `richmenuswitch` area they tapped, a per-user link or the channel's
   * default.
   */
  source: "switch" | "user" | "default";
}

export interface MembershipPlanInput {
  channel?: string;
  title: string;
  description?: string;
  benefits: string[];
  price: number;
  currency?: "JPY" | "TWD" | "THB";
  /** null or absent: no limit. */
  memberLimit?: number | null;
  isInAppPurchase?: boolean;
  isPublished?: boolean;
}

export interface SentBatch {
  events: Array<Omit<SentEvent, "deliveryId">>;
  deliveryId: string;
}

export interface ChannelState {
  name: string;
  bot: BotIdentity;
  webhookUrl: string;
}

/** A channel as tests see it: what a bot deployment needs to speak for it. */
export interface ChannelInfo extends ChannelState {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string | undefined;
}

export interface EmulatorState {
  bot: BotIdentity;
  webhookUrl: string;
  channels: ChannelState[];
  users: User[];
  groups: Group[];
  rooms: Room[];
}

export interface ConfigPatch {
  webhookUrl?: string;
  replyTokenTtlMs?: number;
  webhookTimeoutMs?: number;
  redelivery?: { enabled?: boolean; delaysMs?: number[] };
  /** Requests per second, or `{limit, perMs}`, by path; replaces every limit, LINE's defaults included. */
  rateLimits?: Record<string, number | { limit: number; perMs: number }>;
  /** The monthly message quota; null: none. */
  messageQuota?: number | null;
  /** How long a narrowcast's progress says `sending` before `succeeded`. */
  narrowcastSendingMs?: number;
  /** Caps the lifetime of tokens issued from now on; null goes back to LINE's lifetimes. */
  tokenLifetimeMs?: number | null;
  /** Per channel: where its webhooks go. */
  channels?: Record<string, { webhookUrl?: string }>;
}

/** A running (or ready to run) emulated LINE platform; every method mirrors the control API. */
export interface Emulator {
  /** Base URL once listening; give it to the SDK as `baseURL` (both API and data API). */
  readonly url: string;
  readonly channelSecret: string;
  readonly channelAccessToken: string;
  readonly bot: BotIdentity;
  /** Every channel, the default first. */
  channels(): ChannelInfo[];
  channel(name: string): ChannelInfo;
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
  /** The console's Verify button (for the default channel, or the one named). */
  verify(channel?: string): Promise<{ status: number; error?: string }>;
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
  /**
   * Per user, how many accepted sends reached them (of one kind: `multicast`, `broadcast`, …, or
   * any), and how many users were reached.
   */
  recipientCounts(kind?: string): { counts: Record<string, number>; recipients: number };
  /**
   * The rich menu a user sees in the chat with a channel's bot (the default channel's unless
   * named): their per-user link, else the channel's default; null for none.
   */
  richMenuOf(userId: string, channel?: string): ShownRichMenu | null;
  /** A rich menu's image as uploaded (for the chat UI); null before its upload. */
  richMenuImage(
    richMenuId: string,
    channel?: string,
  ): { bytes: Buffer; contentType: string } | null;
  /**
   * Plays a tap on a `richmenuswitch` area: the user now sees the menu the alias points at. The
   * status is the one LINE puts in the postback's `params.status` (the caller sends the postback).
   */
  switchRichMenu(
    userId: string,
    richMenuAliasId: string,
    channel?: string,
  ): { status: "SUCCESS" | "RICHMENU_ALIAS_ID_NOTFOUND" | "RICHMENU_NOTFOUND" };
  /**
   * Sets up a membership plan, as LINE Official Account Manager would (the Messaging API only
   * reads plans); for the default channel unless `channel` names another.
   */
  addMembershipPlan(input: MembershipPlanInput): MembershipPlan;
  /** Makes a user subscribe to a plan (what a user does in LINE); idempotent. */
  joinMembership(input: {
    membershipId: number;
    userId: string;
    channel?: string;
  }): MembershipSubscription;
  addFault(input: FaultInput): { id: string };
  clearFaults(): void;
  config(): EmulatorConfig;
  configure(patch: ConfigPatch): EmulatorConfig;
  reset(): void;
  subscribe(listener: (event: ActivityEvent) => void): () => void;
}
