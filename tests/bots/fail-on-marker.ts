import { existsSync } from "node:fs";
import { createBot, NonRetriableError } from "@linefleet/bot";

/** Acknowledges, then fails for good while the file FAIL_MARKER exists; finishes otherwise. */
export const bot = createBot().onText(async (context, text) => {
  await context.reply(`got it: ${text}`);
  const marker = process.env.FAIL_MARKER;
  if (marker && existsSync(marker)) throw new NonRetriableError("the downstream system refused it");
  await context.reply(`done: ${text}`);
});
