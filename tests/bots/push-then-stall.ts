import { createBot } from "@linefleet/bot";

/**
 * Pushes the text back, then — in a worker started with STALL_AFTER_PUSH=1 — never finishes, so a
 * test can kill the worker between a delivered push and the job's completion.
 */
export const bot = createBot().onText(async (context, text) => {
  await context.push(text);
  if (process.env.STALL_AFTER_PUSH === "1") {
    context.log.info({}, "stalling after push");
    await new Promise(() => {});
  }
});
