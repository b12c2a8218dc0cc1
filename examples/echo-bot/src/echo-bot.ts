import { createBot } from "@linefleet/bot";

/** The classic first bot: answers every text with the same text. */
export function createEchoBot() {
  return createBot()
    .onText((context, text) => context.reply(text))
    .fallback((context) =>
      context.log.info({ type: context.event.type }, "no handler for this event"),
    );
}
