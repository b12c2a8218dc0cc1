import type { LineClient, Message } from "@linefleet/line-client";
import { chatIdOf, type WebhookEvent } from "@linefleet/webhook";
import type { Channel } from "./channel.ts";
import { fetchContent } from "./content.ts";
import type { BotContext, BotLogger, ChatType } from "./context.ts";
import { toMessages } from "./context.ts";
import { ContextUsageError } from "./errors.ts";
import { cachedProfile } from "./profile-cache.ts";
import type { Responder, SendReport } from "./responder.ts";
import { linkRichMenu } from "./rich-menu-link.ts";
import { dueTimeOf, type Scheduler } from "./schedule.ts";
import type { BotServices } from "./services.ts";
import type { BotStorage } from "./storage.ts";
import { type Mentionee, stripSelfMentions } from "./text.ts";

/** LINE takes at most 5 messages per reply or push. */
const BATCH = 5;
const CONTENT_TYPES = new Set(["image", "video", "audio", "file"]);

/** One event and everything its handlers reach, as the runtime hands it over. */
export interface EventRun {
  /** The bot's user ID the webhook was addressed to. */
  destination: string;
  event: WebhookEvent;
  channel: Channel;
  /** The channel's LINE client: `ctx.line`, and what the context's helpers call. */
  client: LineClient;
  /** Where `reply`, `push` and `quote` send. */
  responder: Responder;
  /**
   * Where `pushLater`, `schedule` and `cancelLater` go, bound to the event's chat; without it (a
   * runtime that keeps no schedule, an event without a chat) they throw `ContextUsageError`.
   */
  scheduler?: Scheduler | undefined;
  /** The bot's scheduled handlers' names, so `ctx.schedule` refuses one that does not exist. */
  scheduledNames?: ReadonlySet<string> | undefined;
  /** The runtime's clock (epoch ms), for `pushLater(ms)`. Default `Date.now`. */
  now?: (() => number) | undefined;
  storage: BotStorage;
  services: BotServices;
  /** Already carries the event's ids and its channel. */
  log: BotLogger;
}

interface ContextInput<S> extends EventRun {
  session: S;
  /** Which try at the event this is, from 1. */
  attempt: number;
  /** `ctx.enter`: starts a conversation; the runtime knows the chat's conversations. */
  enter?: (name: string, args: unknown) => Promise<void>;
}

interface MessageFields {
  id?: string;
  type?: string;
  quoteToken?: string;
  markAsReadToken?: string;
  text?: string;
  mention?: { mentionees?: Mentionee[] };
}

/** Builds the context a bot's handlers get for one event, answering through `responder`. */
export function createContext<S>(input: ContextInput<S>): BotContext<WebhookEvent, S> {
  const { event, client, responder, log } = input;
  const message = (event as { message?: MessageFields }).message;
  const source = event.source;
  const text = event.type === "message" && message?.type === "text" ? message.text : undefined;

  /** Rich menus are per user: the methods that set one need the event's user. */
  function userOf(method: string): string {
    if (!source?.userId) throw new ContextUsageError(`${method}() needs an event from a user`);
    return source.userId;
  }

  async function send(messages: Message[], firstVia: "reply" | "push") {
    const reports: SendReport[] = [];
    for (let start = 0; start < messages.length; start += BATCH) {
      const batch = messages.slice(start, start + BATCH);
      // Only the first batch can use the reply token; a token serves one call.
      const report = await (start === 0 && firstVia === "reply"
        ? responder.reply(batch)
        : responder.push(batch));
      if (report.status === "unknown")
        log.warn({ send: report }, "reply outcome unknown; not re-sent");
      else log.info({ send: report }, "answer sent");
      reports.push(report);
    }
    if (reports.length === 0) throw new RangeError("give at least one message to send");
    return reports;
  }

  const now = input.now ?? Date.now;
  function scheduler(): Scheduler {
    if (!input.scheduler) {
      throw new ContextUsageError(
        "scheduling needs a chat and a runtime that keeps a schedule (linefleet's workers)",
      );
    }
    return input.scheduler;
  }

  return {
    ...input.services,
    event,
    destination: input.destination,
    channel: input.channel,
    chatId: chatIdOf(source),
    userId: source?.userId,
    mode: event.mode === "standby" ? "standby" : "active",
    isRedelivery: event.deliveryContext?.isRedelivery ?? false,
    deadline: responder.replyDeadline,
    isMentioned: message?.mention?.mentionees?.some((mentionee) => mentionee.isSelf) ?? false,
    chatType: chatTypeOf(source?.type),
    text,
    textWithoutMention:
      text === undefined ? undefined : stripSelfMentions(text, message?.mention?.mentionees),
    attempt: input.attempt,
    log,
    line: client,
    session: input.session,
    reply: (...says) => send(toMessages(says), "reply"),
    push: (...says) => send(toMessages(says), "push"),
    quote(...says) {
      const messages = toMessages(says);
      const token = message?.quoteToken;
      const quotable = messages.find((m) => m.type === "text" || m.type === "sticker");
      if (token && quotable && !("quoteToken" in quotable && quotable.quoteToken)) {
        messages[messages.indexOf(quotable)] = { ...quotable, quoteToken: token } as Message;
      }
      return send(messages, "reply");
    },
    async showLoading(seconds = 20) {
      // LINE shows it in one-to-one chats only and refuses other chat ids.
      if (source?.type !== "user" || !source.userId || event.mode === "standby") return;
      const loadingSeconds = Math.min(60, Math.max(5, Math.ceil(seconds / 5) * 5));
      try {
        await client.api.showLoadingAnimation({ chatId: source.userId, loadingSeconds });
      } catch (error) {
        // Only a visual hint: failing it must not fail (and repeat) the event.
        log.warn({ err: error }, "could not show the loading animation");
      }
    },
    getProfile: () => cachedProfile(input.storage, input.destination, source, client),
    async getContent(options = {}) {
      if (!message?.id || !CONTENT_TYPES.has(message.type ?? "")) {
        throw new ContextUsageError("getContent() needs an image, video, audio or file message");
      }
      return fetchContent(client.blob, message.id, {
        maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
        preparingWaitMs: options.preparingWaitMs ?? 10_000,
      });
    },
    async linkRichMenu(aliasOrId) {
      await linkRichMenu(client, userOf("linkRichMenu"), aliasOrId);
    },
    async unlinkRichMenu() {
      await client.api.unlinkRichMenuIdFromUser(userOf("unlinkRichMenu"));
    },
    async markAsRead() {
      const token = message?.markAsReadToken;
      if (!token) return false;
      await client.api.markMessagesAsReadByToken({ markAsReadToken: token });
      return true;
    },
    async enter(name, args) {
      if (!input.enter) {
        throw new ContextUsageError("enter() needs an event from a chat (a user, group or room)");
      }
      await input.enter(name, args);
    },
    async pushLater(when, ...says) {
      const messages = toMessages(says);
      if (messages.length === 0) throw new RangeError("give at least one message to push later");
      return scheduler().schedule(dueTimeOf(when, now()), { kind: "push", messages });
    },
    async schedule(name, when, data = null) {
      if (input.scheduledNames && !input.scheduledNames.has(name)) {
        throw new ContextUsageError(`no handler is registered with bot.onSchedule("${name}", …)`);
      }
      // Stored as JSON: what the handler gets is what survives JSON.stringify.
      const json = JSON.parse(JSON.stringify(data ?? null)) as unknown;
      return scheduler().schedule(dueTimeOf(when, now()), { kind: "handler", name, data: json });
    },
    async cancelLater(id) {
      return scheduler().cancel(id);
    },
  };
}

const CHAT_TYPES: readonly string[] = ["user", "group", "room"] satisfies ChatType[];

/** The source's type when it is one LINE documents (the envelope lets others pass through). */
function chatTypeOf(type: string | undefined): ChatType | undefined {
  return type !== undefined && CHAT_TYPES.includes(type) ? (type as ChatType) : undefined;
}
