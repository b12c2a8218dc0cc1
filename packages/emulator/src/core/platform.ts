import type { BotIdentity, EmulatorConfig } from "../config.ts";
import { defaults } from "../config.ts";
import { newMessageId, newQuoteToken } from "../ids.ts";
import { IssuedAccessTokens } from "./access-tokens.ts";
import { Activity, type ChatMessage } from "./activity.ts";
import { Audiences } from "./audiences.ts";
import type { Channels } from "./channels.ts";
import { ContentStore } from "./content-store.ts";
import { Coupons } from "./coupons.ts";
import { Faults } from "./faults.ts";
import { LiffApps } from "./liff-apps.ts";
import { LinkTokens } from "./link-tokens.ts";
import { Memberships } from "./memberships.ts";
import { Modules } from "./modules.ts";
import { EndpointRateLimits } from "./rate-limiter.ts";
import { ReplyTokens } from "./reply-tokens.ts";
import { RetryKeys } from "./retry-keys.ts";
import { RichMenus } from "./rich-menus.ts";
import { Traffic } from "./traffic.ts";
import { type ChatRef, chatRefId, World } from "./world.ts";

/** Message types LINE returns a quote token for. */
const quotableTypes = new Set(["text", "textV2", "sticker"]);

export interface NarrowcastJob {
  acceptedTime: string;
  targetCount: number;
}

export interface AcceptedMessage {
  id: string;
  quoteToken?: string;
}

/**
 * The emulated channel's whole state, shared by the Messaging API, the webhook sender and the
 * control API. Framework-neutral: nothing here knows about HTTP.
 */
export class Platform {
  readonly channels: Channels;
  /** Tokens issued by the OAuth endpoints, for every channel. */
  readonly accessTokens = new IssuedAccessTokens();
  readonly config: EmulatorConfig;
  readonly now: () => number;
  readonly world = new World();
  readonly activity = new Activity();
  readonly content = new ContentStore();
  readonly replyTokens = new ReplyTokens(defaults.redeliveredTokenCapMs);
  readonly retryKeys = new RetryKeys(defaults.retryKeyRetentionMs);
  readonly rateLimiter = new EndpointRateLimits();
  readonly faults = new Faults();
  /** Which channel's webhook carried each reply token: only that channel's bot may use it. */
  readonly replyTokenChannels = new Map<string, string>();
  /** Account-link tokens the bots issued. */
  readonly linkTokens = new LinkTokens();
  /** markAsRead tokens handed out in webhooks, by token. */
  readonly markAsReadTokens = new Map<string, ChatRef>();
  /** Narrowcasts by request id, for the progress API. */
  readonly narrowcasts = new Map<string, NarrowcastJob>();
  /** Rich menus, defaults, per-user links and aliases, per channel. */
  readonly richMenus = new RichMenus();
  /** Audience groups, per channel. */
  readonly audiences = new Audiences();
  /** When the bot last marked a user's messages as read (the legacy markAsRead by user). */
  readonly readUpTo = new Map<string, number>();
  /** Coupons, per channel. */
  readonly coupons = new Coupons();
  /** Membership plans and subscribers, per channel (plans are set up through the control API). */
  readonly memberships = new Memberships();
  /** Module channels attached to bots, and the chats whose control they acquired. */
  readonly modules = new Modules();
  /** Mission stickers given to users (LINE's shop API). */
  readonly missionStickers: Array<{
    channel: string;
    userId: string;
    productId: string;
    sendPresentMessage: boolean;
    at: number;
  }> = [];
  /** LIFF apps, per channel. */
  readonly liffApps = new LiffApps();
  /** Every accepted send, for the statistics LINE reports. */
  readonly traffic = new Traffic();
  /** Messages counted against the monthly quota: push-like sends, per recipient. */
  quotaUsage = 0;

  constructor(input: { channels: Channels; config: EmulatorConfig; now: () => number }) {
    this.channels = input.channels;
    this.config = input.config;
    this.now = input.now;
  }

  /** The default channel's secret. */
  get channelSecret(): string {
    return this.channels.default.channelSecret;
  }

  /** The default channel's long-lived token. */
  get channelAccessToken(): string {
    return this.channels.default.channelAccessToken ?? "";
  }

  /** The default channel's bot. */
  get bot(): BotIdentity {
    return this.channels.default.bot;
  }

  /** Where a channel's webhooks go. */
  webhookUrlOf(name?: string): string {
    const channel = this.channels.get(name);
    return channel.webhookUrl ?? this.config.webhookUrl;
  }

  /** Records the bot's messages in a chat; returns LINE's `sentMessages` (ids as strings). */
  deliverBotMessages(
    chat: ChatRef,
    messages: Array<Record<string, unknown>>,
    via: NonNullable<ChatMessage["via"]>,
    scheduledFor?: number,
  ): AcceptedMessage[] {
    const chatId = chatRefId(chat);
    return messages.map((message) => {
      const id = newMessageId();
      const quoteToken = quotableTypes.has(String(message.type)) ? newQuoteToken() : undefined;
      this.activity.addMessage({
        id,
        chatId,
        from: "bot",
        via,
        message,
        sentAt: this.now(),
        ...(scheduledFor === undefined ? {} : { scheduledFor }),
      });
      return quoteToken ? { id, quoteToken } : { id };
    });
  }

  state() {
    return {
      bot: { ...this.bot },
      webhookUrl: this.config.webhookUrl,
      channels: this.channels.list().map((channel) => ({
        name: channel.name,
        bot: { ...channel.bot },
        webhookUrl: this.webhookUrlOf(channel.name),
      })),
      ...this.world.snapshot(),
    };
  }

  announceState() {
    this.activity.announceState(this.state());
  }

  /**
   * Counts resets. Work begun before a reset (a webhook in flight, a pending redelivery) belongs to
   * the world before it and must leave no trace in the one after.
   */
  generation = 0;

  /**
   * Forgets chats, logs, tokens, retry keys, faults, rate-limit buckets and what bots created
   * through LINE's API (rich menus, audiences, LIFF apps, coupons, module attachments, traffic
   * statistics); keeps users, chats' members and membership plans, which the control API sets up.
   */
  reset() {
    this.generation++;
    this.activity.clear();
    this.content.clear();
    this.replyTokens.clear();
    this.retryKeys.clear();
    this.rateLimiter.clear();
    this.faults.clear();
    this.markAsReadTokens.clear();
    this.replyTokenChannels.clear();
    this.narrowcasts.clear();
    this.richMenus.clear();
    this.audiences.clear();
    this.liffApps.clear();
    this.coupons.clear();
    this.modules.clear();
    this.missionStickers.length = 0;
    this.linkTokens.clear();
    this.readUpTo.clear();
    this.traffic.clear();
    this.accessTokens.clear();
    this.quotaUsage = 0;
    this.announceState();
  }
}
