import type { LineClient, Message, Outbox, SendReport } from "@linefleet/line-client";
import type { RedisConnection, RedisKeys } from "@linefleet/store";
import { chatIdOf, type WebhookEvent } from "@linefleet/webhook";
import type { Channel } from "./channel.ts";
import { fetchContent } from "./content.ts";
import type { BotContext, BotLogger } from "./context.ts";
import { toMessages } from "./context.ts";
import { ContextUsageError } from "./errors.ts";
import { cachedProfile } from "./profile-cache.ts";

/** LINE takes at most 5 messages per reply or push. */
const BATCH = 5;
const CONTENT_TYPES = new Set(["image", "video", "audio", "file"]);

export interface ContextInput<S> {
  destination: string;
  event: WebhookEvent;
  channel: Channel;
  client: LineClient;
  outbox: Outbox;
  redis: RedisConnection;
  keys: RedisKeys;
  log: BotLogger;
  session: S;
}

interface MessageFields {
  id?: string;
  type?: string;
  quoteToken?: string;
  markAsReadToken?: string;
  mention?: { mentionees?: Array<{ isSelf?: boolean }> };
}

/** Builds the context a bot's handlers get for one event, answering through `outbox`. */
export function createContext<S>(input: ContextInput<S>): BotContext<WebhookEvent, S> {
  const { event, client, outbox, log } = input;
  const message = (event as { message?: MessageFields }).message;
  const source = event.source;

  async function send(messages: Message[], firstVia: "reply" | "push") {
    const reports: SendReport[] = [];
    for (let start = 0; start < messages.length; start += BATCH) {
      const batch = messages.slice(start, start + BATCH);
      // Only the first batch can use the reply token; a token serves one call.
      const report = await (start === 0 && firstVia === "reply"
        ? outbox.reply(batch)
        : outbox.push(batch));
      if (report.status === "unknown")
        log.warn({ send: report }, "reply outcome unknown; not re-sent");
      else log.info({ send: report }, "answer sent");
      reports.push(report);
    }
    if (reports.length === 0) throw new RangeError("give at least one message to send");
    return reports;
  }

  return {
    event,
    destination: input.destination,
    channel: input.channel,
    chatId: chatIdOf(source),
    userId: source?.userId,
    mode: event.mode === "standby" ? "standby" : "active",
    isRedelivery: event.deliveryContext?.isRedelivery ?? false,
    deadline: outbox.replyDeadline,
    replyDeadline: outbox.replyDeadline,
    isMentioned: message?.mention?.mentionees?.some((mentionee) => mentionee.isSelf) ?? false,
    log,
    line: client,
    redis: input.redis,
    keyPrefix: input.keys.prefix,
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
    getProfile: () => cachedProfile(input.redis, input.keys, input.destination, source, client),
    async getContent(options = {}) {
      if (!message?.id || !CONTENT_TYPES.has(message.type ?? "")) {
        throw new ContextUsageError("getContent() needs an image, video, audio or file message");
      }
      return fetchContent(client.blob, message.id, {
        maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
        preparingWaitMs: options.preparingWaitMs ?? 10_000,
      });
    },
    async markAsRead() {
      const token = message?.markAsReadToken;
      if (!token) return false;
      await client.api.markMessagesAsReadByToken({ markAsReadToken: token });
      return true;
    },
  };
}
