export {
  Bot,
  type BotOptions,
  type ContextOf,
  createBot,
  type Handler,
  type Middleware,
  type Next,
  type RouteOptions,
  type SessionOptions,
} from "./bot.ts";
export { type Channel, type ChannelResolver, singleChannel } from "./channel.ts";
export {
  type BotContext,
  type BotLogger,
  type GetContentOptions,
  type Say,
  toMessages,
} from "./context.ts";
export { createContext } from "./create-context.ts";
export { createDemoBot } from "./demo/demo-bot.ts";
export { createEchoBot } from "./echo-bot.ts";
export {
  ContentTooLargeError,
  ContextUsageError,
  NonRetriableError,
  RetryAfterError,
  SessionConflictError,
} from "./errors.ts";
export type {
  EventOfType,
  LineEvent,
  LineEventType,
  MessageContent,
  MessageEventOf,
  MessageOfType,
  MessageType,
  Postback,
  PostbackParams,
  TextMessageEvent,
} from "./events.ts";
export type { PostbackPattern, TextPattern } from "./matchers.ts";
export type { Profile } from "./profile-cache.ts";
export {
  type BotRuntime,
  type BotRuntimeOptions,
  createBotRuntime,
  type ParentLogger,
  type RuntimeEvent,
} from "./runtime.ts";
export { SessionStore } from "./session-store.ts";
