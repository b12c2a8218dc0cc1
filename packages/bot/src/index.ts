export {
  Bot,
  createBot,
  type EventOfType,
  type Handler,
  type LineEvent,
  type LineEventType,
  type TextMessageEvent,
} from "./bot.ts";
export { type BotContext, type BotLogger, type Say, toMessages } from "./context.ts";
export { createEchoBot } from "./echo-bot.ts";
export { NonRetriableError, RetryAfterError } from "./errors.ts";
