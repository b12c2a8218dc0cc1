import { lineSendRateLimits, type RateLimit } from "./core/rate-limiter.ts";

/** Everything that shapes how the emulated LINE platform behaves; changeable at run time. */
export interface EmulatorConfig {
  webhookUrl: string;
  /** How long a reply token lives after each webhook that carried it; LINE says one minute. */
  replyTokenTtlMs: number;
  /** A webhook not answered 2xx within this is a failure, as at LINE (2 s). */
  webhookTimeoutMs: number;
  redelivery: { enabled: boolean; delaysMs: number[] };
  /**
   * Requests per second (or `{limit, perMs}`), keyed by a path (`/v2/bot/message/push`) or route
   * (`/v2/bot/profile/{userId}`). Multicast, narrowcast and broadcast have LINE's limits unless set.
   */
  rateLimits: Record<string, RateLimit>;
  /**
   * The channel's monthly message quota (GET /v2/bot/message/quota `value`); sends past it get
   * LINE's 429 "You have reached your monthly limit.". Unset: no limit (`type: "none"`).
   */
  messageQuota: number | undefined;
  /** How long a narrowcast's progress says `sending` before `succeeded` (unset: succeeded at once). */
  narrowcastSendingMs: number | undefined;
  /**
   * Caps the lifetime of every access token issued from now on (stateless 15 min, short-lived
   * 30 days, v2.1 as asked), so tests can watch tokens expire and be renewed. Unset: LINE's own.
   */
  tokenLifetimeMs: number | undefined;
}

export interface BotIdentity {
  userId: string;
  displayName: string;
  basicId: string;
}

/** A channel besides the default one: its own bot, secret, token and webhook URL. */
export interface ChannelOptions {
  name: string;
  channelSecret: string;
  /** A long-lived token; without one the channel's bot needs issued tokens. */
  channelAccessToken?: string;
  /** Numeric id, the `client_id` of the token endpoints; generated when absent. */
  channelId?: string;
  webhookUrl?: string;
  bot?: Partial<BotIdentity>;
  /** v2.1 assertion signing keys: key id → public key (PEM). */
  assertionKeys?: Record<string, string>;
}

export interface EmulatorOptions {
  channelSecret: string;
  channelAccessToken: string;
  /** The default channel's numeric id (`client_id` for issuing tokens); generated when absent. */
  channelId?: string;
  /** The default channel's v2.1 assertion signing keys: key id → public key (PEM). */
  assertionKeys?: Record<string, string>;
  /** The default channel's name; "default" unless given. */
  channelName?: string;
  /** More channels, served at once by the same emulator (several bots in one chat UI). */
  channels?: ChannelOptions[];
  tokenLifetimeMs?: number;
  webhookUrl?: string;
  bot?: Partial<BotIdentity>;
  replyTokenTtlMs?: number;
  webhookTimeoutMs?: number;
  redelivery?: { enabled?: boolean; delaysMs?: number[] };
  rateLimits?: Record<string, RateLimit>;
  /** The monthly message quota; unset, none. */
  messageQuota?: number;
  /** How long a narrowcast's progress says `sending` before `succeeded`; 0 by default. */
  narrowcastSendingMs?: number;
  /** Users that exist (and are friends of the bot) from the start. Defaults to one user. */
  users?: Array<{ displayName: string; userId?: string }>;
  /**
   * Host names (no port) the emulator answers to besides the loopback names and the address it
   * listens on, e.g. a compose service name. Any other `Host` is refused (DNS rebinding).
   */
  allowedHosts?: string[];
  /** Folder of the chat UI's static files; defaults to the package's own `ui/`. */
  uiDir?: string;
  /** Epoch milliseconds; inject to control token expiry, retry-key retention and rate limits. */
  now?: () => number;
}

export const defaults = {
  webhookUrl: "http://127.0.0.1:3000/webhook",
  replyTokenTtlMs: 60_000,
  webhookTimeoutMs: 2_000,
  redeliveryDelaysMs: [1_000, 5_000, 30_000],
  /** A redelivered event's token dies this long after the event, whatever the TTL. */
  redeliveredTokenCapMs: 20 * 60_000,
  retryKeyRetentionMs: 24 * 60 * 60_000,
  maxApiBodyBytes: 2 * 1024 * 1024,
  statelessTokenLifetimeMs: 15 * 60_000,
  shortLivedTokenLifetimeMs: 30 * 24 * 60 * 60_000,
  maxTokenLifetimeMs: 30 * 24 * 60 * 60_000,
} as const;

export function resolveConfig(options: EmulatorOptions): EmulatorConfig {
  return {
    webhookUrl: options.webhookUrl ?? defaults.webhookUrl,
    replyTokenTtlMs: options.replyTokenTtlMs ?? defaults.replyTokenTtlMs,
    webhookTimeoutMs: options.webhookTimeoutMs ?? defaults.webhookTimeoutMs,
    redelivery: {
      enabled: options.redelivery?.enabled ?? true,
      delaysMs: options.redelivery?.delaysMs ?? [...defaults.redeliveryDelaysMs],
    },
    rateLimits: { ...lineSendRateLimits, ...options.rateLimits },
    messageQuota: options.messageQuota,
    narrowcastSendingMs: options.narrowcastSendingMs,
    tokenLifetimeMs: options.tokenLifetimeMs,
  };
}
