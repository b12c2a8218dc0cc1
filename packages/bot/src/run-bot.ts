import { chatIdOf, type WebhookEvent } from "@linefleet/webhook";
import type { Bot } from "./bot.ts";
import type { BotContext } from "./context.ts";
import {
  CONVERSATION_TIMEOUT,
  type ConversationTimeoutData,
  ConversationTurn,
} from "./conversation-turn.ts";
import { createContext, type EventRun } from "./create-context.ts";
import { ContextUsageError, SessionConflictError } from "./errors.ts";
import type { StoredSession } from "./storage.ts";

/** What the runtime learns of a chat's conversations as events run (metrics). */
export interface ConversationObserver {
  /** A conversation ended during an event that succeeded: how. */
  ended(name: string, how: "returned" | "exited" | "timed-out" | "cancelled" | "dropped"): void;
}

/** One event and everything its handlers reach, as the runtime hands it over. */
export interface BotRun extends EventRun {
  /** Which try at the event this is, from 1 (`ctx.attempt`). Default 1. */
  attempt?: number;
  /** Told how conversations end. */
  conversations?: ConversationObserver;
}

/**
 * Runs one event: loads the chat's session (and its conversation in progress), builds the
 * context, runs the bot, then saves the session if the handlers changed it (or the
 * conversation moved on). Throws what a handler threw unless the bot's `catch` hook handled it
 * (nothing is saved either way), or `SessionConflictError` when another event saved the chat's
 * session meanwhile.
 */
// biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
export async function runBot(bot: Bot<any, any>, run: BotRun): Promise<void> {
  const { sessionOptions } = bot;
  const { destination, event, storage } = run;
  const hasConversations = bot.conversations.functions.size > 0;
  // Events without a chat (rare) get `initial()` and save nothing.
  const chatId = chatIdOf(event.source);
  const chat = (sessionOptions || hasConversations) && chatId ? event.source : undefined;
  const loaded: StoredSession | undefined = chat
    ? await storage.loadSession(destination, chat)
    : undefined;
  let session: unknown;
  if (sessionOptions) {
    session = loaded?.json !== undefined ? JSON.parse(loaded.json) : sessionOptions.initial();
  }
  const before = JSON.stringify(session ?? null);
  const attempt = run.attempt ?? 1;

  const turn =
    hasConversations && loaded
      ? new ConversationTurn({
          registry: bot.conversations,
          stored: loaded.conversation,
          responder: run.responder,
          // A recorded event's context: its own event, the chat's session (set by the replay).
          contextOf: (recorded, responder) =>
            createContext({
              ...run,
              event: recorded,
              responder,
              session: undefined,
              attempt,
              enter: refuseNestedEnter,
            }),
          now: run.now ?? Date.now,
        })
      : undefined;
  const context: BotContext<WebhookEvent, unknown> = createContext({
    ...run,
    session,
    attempt,
    enter: turn
      ? (name, args): Promise<void> => turn.enter(context, name, args)
      : async () => {
          throw new ContextUsageError(
            hasConversations
              ? "enter() needs an event from a chat (a user, group or room)"
              : "enter() needs a conversation: register one with bot.conversation()",
          );
        },
  });
  // An error the bot's hook handled ends the event as a failed one would: nothing saved.
  const outcome = await bot.dispatch(context, turn);

  if (outcome === "caught" || !chat || !loaded) return;
  if (turn?.timeout) {
    // Armed before the session is saved: a run that dies between the two leaves a timeout whose
    // wait was never stored, which does nothing. A retried run arms nothing twice (the
    // scheduler's ids follow the run and the call's position).
    if (!run.scheduler) {
      throw new ContextUsageError("a wait's timeoutMs needs a runtime that keeps a schedule");
    }
    const { at, ...timeout } = turn.timeout;
    const data: ConversationTimeoutData = timeout;
    await run.scheduler.schedule(at, { kind: "handler", name: CONVERSATION_TIMEOUT, data });
  }
  const after = sessionOptions ? JSON.stringify(context.session ?? null) : before;
  const conversation = turn?.write;
  if (after === before && conversation === undefined) return;
  const saved = await storage.saveSession(
    destination,
    chat,
    loaded.version,
    // "": a bot without sessions keeps only its conversations in the chat's session.
    sessionOptions ? after : "",
    sessionOptions?.ttlSeconds,
    conversation,
  );
  if (!saved) throw new SessionConflictError(`${destination}:${chatId}`);
  run.log.debug({ session: chatId }, "session saved");
  if (turn?.ended) run.conversations?.ended(turn.ended.name, turn.ended.how);
}

async function refuseNestedEnter(): Promise<void> {
  throw new ContextUsageError("enter() is for routes: a conversation cannot enter another");
}
