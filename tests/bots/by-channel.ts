import { createBot } from "@linefleet/bot";

/** Answers with the name of the channel the event came to: one bot, routed by channel. */
export const bot = createBot().onText((context, text) =>
  context.reply(`${context.channel.name}: ${text}`),
);
