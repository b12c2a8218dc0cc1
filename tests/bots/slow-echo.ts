import { createBot } from "@linefleet/bot";

/** Echoes after a random pause, so events finish out of order unless something orders them. */
export const bot = createBot().onText(async (context, text) => {
  await new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Number(process.env.MAX_DELAY_MS ?? 60)),
  );
  await context.reply(text);
});
