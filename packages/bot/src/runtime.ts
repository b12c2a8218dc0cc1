import { Outbox, type SendLedger, type SendObserver } from "@linefleet/line-client";
import type { RedisConnection } from "@linefleet/queue";
import { eventKeyOf, laneOf, type RedisKeys, SESSION_TTL_SECONDS } from "@linefleet/queue";
import { chatIdOf, type WebhookEvent } from "@linefleet/webhook";
import type { Bot } from "./bot.ts";
import type { ChannelResolver } from "./channel.ts";
import type { BotLogger } from "./context.ts";
import { createContext } from "./create-context.ts";
import { SessionConflictError } from "./errors.ts";
import { type LoadedSession, SessionStore } from "./session-store.ts";

/** A logger that can make a child carrying more fields (pino's is one). */
export interface ParentLogger extends BotLogger {
  child(bindings: Record<string, unknown>): BotLogger;
}

export interface BotRuntimeOptions {
  // biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
  bot: Bot<any, any>;
  /** The channel of each event and the LINE client answering for it, looked up per event. */
  channels: ChannelResolver;
  redis: RedisConnection;
  keys: RedisKeys;
  replyTokenMaxAgeMs: number;
  pushAfterUnknownReply?: boolean;
  /** Where each channel's sends are counted (metrics); nothing by default. */
  observeSends?: (channel: string) => SendObserver;
  now?: () => number;
}

/** One event as the queue holds it. */
export interface RuntimeEvent {
  /** The channel the webhook came to, when the ingress recorded it. */
  channel?: string | undefined;
  destination: string;
  event: WebhookEvent;
  /** A replayed dead letter: answers go by push only. */
  replay?: boolean | undefined;
}

export interface BotRuntime {
  /**
   * Runs one event: loads the chat's session, builds the context, runs the bot, then saves the
   * session if the handlers changed it. Throws what a handler threw (nothing is saved then), or
   * `SessionConflictError` when another event saved the chat's session meanwhile. `ledger` is
   * the event's send ledger for this attempt (the worker loads it with the lane turn).
   */
  run(job: RuntimeEvent, log: ParentLogger, ledger: SendLedger): Promise<void>;
}

/** What turns a queued event into a bot's handlers running: the worker calls `run` per event. */
export function createBotRuntime(options: BotRuntimeOptions): BotRuntime {
  const { bot, redis, keys } = options;
  const sessions = new SessionStore(redis);
  const now = options.now ?? Date.now;

  return {
    async run({ channel: channelName, destination, event, replay }, parentLog, ledger) {
      const { channel, client } = await options.channels({ channel: channelName, destination });
      // The worker's logger already carries the event's ids and its channel.
      const log = parentLog;
      const chatLane = laneOf(destination, event.source);
      const outbox = new Outbox(
        {
          // Qualified by the channel: the retry keys of two channels' events never collide.
          webhookEventId: eventKeyOf(channelName ?? "default", event.webhookEventId),
          timestamp: event.timestamp,
          replyToken: replay ? undefined : event.replyToken,
          chatId: chatIdOf(event.source),
          mode: event.mode,
        },
        client,
        ledger,
        {
          replyTokenMaxAgeMs: options.replyTokenMaxAgeMs,
          pushAfterUnknownReply: options.pushAfterUnknownReply ?? false,
          now,
          ...(options.observeSends ? { observe: options.observeSends(channel.name) } : {}),
        },
      );

      const { sessionOptions } = bot;
      const key = sessionOptions && chatLane ? keys.session(chatLane) : undefined;
      let loaded: LoadedSession | undefined;
      let session: unknown;
      if (sessionOptions) {
        loaded = key ? await sessions.load(key) : undefined;
        session = loaded?.json !== undefined ? JSON.parse(loaded.json) : sessionOptions.initial();
      }
      const before = JSON.stringify(session ?? null);

      const context = createContext({
        destination,
        event,
        channel,
        client,
        outbox,
        redis,
        keys,
        log,
        session,
      });
      await bot.dispatch(context);

      if (!key || !loaded || !sessionOptions) return;
      const after = JSON.stringify(context.session ?? null);
      if (after === before) return;
      const ttl = sessionOptions.ttlSeconds ?? SESSION_TTL_SECONDS;
      if (!(await sessions.commit(key, loaded.version, after, ttl))) {
        throw new SessionConflictError(key);
      }
      log.debug({ session: key }, "session saved");
    },
  };
}
