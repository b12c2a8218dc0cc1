import { type Bot, type BotContext, toMessages } from "@linefleet/bot";
import { type LineClient, Outbox, type SendLedger, type SendReport } from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import { type LineEventJob, lineEventsQueue } from "@linefleet/queue";
import { chatIdOf } from "@linefleet/webhook";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { retryDelayMs } from "./backoff.ts";
import { steerError } from "./steer-error.ts";

export interface EventWorkerOptions {
  connection: Redis;
  prefix: string;
  bot: Bot;
  client: LineClient;
  ledger: SendLedger;
  logger: Logger;
  concurrency: number;
  replyTokenMaxAgeMs: number;
  pushAfterUnknownReply?: boolean;
  now?: () => number;
}

/** A BullMQ worker that hands each queued LINE event to the bot, answering through an Outbox. */
export function createEventWorker(options: EventWorkerOptions): Worker<LineEventJob> {
  const { bot, client, ledger, logger } = options;
  const now = options.now ?? Date.now;

  async function processEvent(job: Job<LineEventJob>): Promise<void> {
    const { destination, event } = job.data;
    const chatId = chatIdOf(event.source);
    const log = logger.child({
      webhookEventId: event.webhookEventId,
      jobId: job.id,
      type: event.type,
    });
    const outbox = new Outbox(
      {
        webhookEventId: event.webhookEventId,
        timestamp: event.timestamp,
        replyToken: event.replyToken,
        chatId,
        mode: event.mode,
      },
      client,
      ledger,
      {
        replyTokenMaxAgeMs: options.replyTokenMaxAgeMs,
        pushAfterUnknownReply: options.pushAfterUnknownReply ?? false,
        now,
      },
    );
    const context: BotContext = {
      event,
      destination,
      chatId,
      isRedelivery: event.deliveryContext?.isRedelivery ?? false,
      replyDeadline: outbox.replyDeadline,
      log,
      reply: (...messages) =>
        outbox.reply(toMessages(messages)).then((report) => logged(log, report)),
      push: (...messages) =>
        outbox.push(toMessages(messages)).then((report) => logged(log, report)),
    };
    try {
      await bot.dispatch(context);
    } catch (error) {
      log.warn({ err: error, attempt: job.attemptsMade + 1 }, "handler failed");
      throw steerError(error);
    }
  }

  const worker = new Worker<LineEventJob>(lineEventsQueue.name, processEvent, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    settings: {
      backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, error),
    },
  });
  worker.on("failed", (job, error) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      logger.error(
        { err: error, jobId: job.id, webhookEventId: job.data.event.webhookEventId },
        "event dead-lettered",
      );
    }
  });
  worker.on("error", (error) => logger.warn({ err: error }, "worker error"));
  return worker;
}

function logged(log: Logger, report: SendReport): SendReport {
  if (report.status === "unknown") log.warn({ send: report }, "reply outcome unknown; not re-sent");
  else log.info({ send: report }, "answer sent");
  return report;
}
