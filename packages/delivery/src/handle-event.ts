import { type Bot, type BotStorage, type ConversationObserver, runBot } from "@linefleet/bot";
import type { Logger } from "@linefleet/log";
import { eventKeyOf, type LineEventJob } from "@linefleet/store";
import { chatIdOf } from "@linefleet/webhook";
import type { ChannelResolver } from "./channel-resolver.ts";
import { EventResponder } from "./responder.ts";
import { pushedMessagesOf, scheduledEventOf } from "./scheduled-item.ts";
import type { SchedulerFactory } from "./scheduler.ts";
import type { SendLedger } from "./send-ledger.ts";
import type { SendObserver } from "./send-observer.ts";
import type { WorkerServices } from "./worker-services.ts";

interface EventHandlerOptions {
  // biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
  bot: Bot<any, any>;
  /** The channel of each event and the LINE client answering for it, looked up per event. */
  channels: ChannelResolver;
  storage: BotStorage;
  services: WorkerServices;
  replyTokenMaxAgeMs: number;
  pushAfterUnknownReply: boolean;
  /** Makes each run's scheduler (`ctx.pushLater`, `ctx.schedule`, `ctx.cancelLater`). */
  schedulers: SchedulerFactory;
  /** Where each channel's sends are counted (metrics). */
  observeSends: (channel: string) => SendObserver;
  /** Where conversations' ends are counted (metrics). */
  conversations: ConversationObserver;
  now: () => number;
}

/**
 * Runs one queued event through the bot: finds its channel (and that channel's client), makes the
 * responder that sends its answers exactly once through `ledger` (this attempt's send ledger,
 * loaded with the lane turn), and hands both to the bot. Throws what the bot threw.
 */
export function createEventHandler(options: EventHandlerOptions) {
  const scheduledNames = options.bot.scheduledNames;
  return async function handleEvent(
    job: LineEventJob,
    log: Logger,
    ledger: SendLedger,
    /** Which try at the event this is, from 1 (BullMQ's `attemptsMade` + 1). */
    attempt: number,
  ) {
    const { destination, event, replay } = job;
    const { channel, client } = await options.channels.resolve({
      channel: job.channel,
      destination,
    });
    // Qualified by the channel: the retry keys of two channels' events never collide.
    const eventKey = eventKeyOf(job.channel ?? "default", event.webhookEventId);
    const scheduled = scheduledEventOf(job);
    const responder = new EventResponder(
      {
        webhookEventId: eventKey,
        timestamp: event.timestamp,
        // A replayed dead letter answers by push only.
        replyToken: replay ? undefined : event.replyToken,
        chatId: chatIdOf(event.source),
        mode: event.mode,
        scheduledFor: scheduled?.timestamp,
      },
      client,
      ledger,
      {
        replyTokenMaxAgeMs: options.replyTokenMaxAgeMs,
        pushAfterUnknownReply: options.pushAfterUnknownReply,
        now: options.now,
        observe: options.observeSends(channel.name),
      },
    );
    const pushed = scheduled && pushedMessagesOf(scheduled);
    if (pushed) {
      // A `pushLater`: its messages go out as the handler's push would, 5 per batch, each batch a
      // ledger position with its retry key; no middleware, no handler.
      for (let start = 0; start < pushed.length; start += 5) {
        const report = await responder.push(pushed.slice(start, start + 5));
        log.info({ send: report, scheduledId: scheduled.scheduled.id }, "scheduled push sent");
      }
      return;
    }
    await runBot(options.bot, {
      scheduler: options.schedulers.forRun({
        channel: job.channel ?? "default",
        destination,
        source: event.source,
        runKey: eventKey,
      }),
      scheduledNames,
      now: options.now,
      destination,
      event,
      channel,
      client,
      responder,
      storage: options.storage,
      services: options.services,
      log,
      attempt,
      conversations: options.conversations,
    });
  };
}
