import { createBot } from "@linefleet/bot";

/**
 * Replies to a text at once, then pushes a second answer PUSH_DELAY_MS later (default 3 s) from the
 * same handler: the event is finished only after the push. Any other event gets no answer.
 */
export const bot = createBot().onText(async (context, text) => {
  await context.reply(`echo: ${text}`);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.PUSH_DELAY_MS ?? 3_000)));
  await context.push(`later: ${text}`);
});
