import { createBot, RetryAfterError } from "@linefleet/bot";

const seen = new Set<string>();

/** Echoes, except that the first attempt at a text starting with "hold" asks to be retried later. */
export const bot = createBot().onText(async (context, text) => {
  if (text.startsWith("hold") && !seen.has(context.event.webhookEventId)) {
    seen.add(context.event.webhookEventId);
    throw new RetryAfterError(Number(process.env.RETRY_AFTER_MS ?? 1_000));
  }
  await context.reply(text);
});
