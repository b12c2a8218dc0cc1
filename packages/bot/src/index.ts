export {
  Bot,
  type BotOptions,
  type ContextOf,
  createBot,
  type ErrorHandler,
  type Handler,
  type Middleware,
  type Next,
  type RouteOptions,
  type SessionOptions,
} from "./bot.ts";
export type { Channel } from "./channel.ts";
export type {
  BotContext,
  BotLogger,
  ChatType,
  GetContentOptions,
  LogFn,
  Say,
} from "./context.ts";
export type {
  AnswerContext,
  AnswerEvent,
  Conversation,
  ConversationFunction,
  ConversationMatcher,
  ConversationsOptions,
  UnmatchedPolicy,
  WaitOptions,
} from "./conversation.ts";
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
export type { Profile } from "./profile.ts";
export type {
  RecurringContext,
  RecurringHandler,
  RecurringJob,
  RecurringSchedule,
} from "./recurring.ts";
export type { Responder, SendReport, SendVia } from "./responder.ts";
export { type BotRun, type ConversationObserver, runBot } from "./run-bot.ts";
export type {
  CancelReport,
  ScheduledEvent,
  ScheduledWork,
  Scheduler,
  When,
} from "./schedule.ts";
export type { BotServices } from "./services.ts";
export type { BotStorage, ConversationWrite, StoredSession } from "./storage.ts";
export type { CommandOptions } from "./text.ts";
