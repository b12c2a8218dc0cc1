import { chatIdOf } from "@linefleet/webhook";
import type { Bot } from "./bot.ts";
import { createContext, type EventRun } from "./create-context.ts";
import { SessionConflictError } from "./errors.ts";
import type { StoredSession } from "./storage.ts";

/** One event and everything its handlers reach, as the runtime hands it over. */
export interface BotRun extends EventRun {
  /** Which try at the event this is, from 1 (`ctx.attempt`). Default 1. */
  attempt?: number;
}

/**
 * Runs one event: loads the chat's session, builds the context, runs the bot, then saves the
 * session if the handlers changed it. Throws what a handler threw unless the bot's `catch` hook
 * handled it (nothing is saved either way), or
 * `SessionConflictError` when another event saved the chat's session meanwhile.
 */
// biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
export async function runBot(bot: Bot<any, any>, run: BotRun): Promise<void> {
  const { sessionOptions } = bot;
  const { destination, event, storage } = run;
  // Events without a chat (rare) get `initial()` and save nothing.
  const chatId = chatIdOf(event.source);
  const chat = sessionOptions && chatId ? event.source : undefined;
  let loaded: StoredSession | undefined;
  let session: unknown;
  if (sessionOptions) {
    loaded = chat ? await storage.loadSession(destination, chat) : undefined;
    session = loaded?.json !== undefined ? JSON.parse(loaded.json) : sessionOptions.initial();
  }
  const before = JSON.stringify(session ?? null);

  const context = createContext({ ...run, session, attempt: run.attempt ?? 1 });
  // An error the bot's hook handled ends the event as a failed one would: nothing saved.
  const outcome = await bot.dispatch(context);

  if (outcome === "caught" || !chat || !loaded || !sessionOptions) return;
  const after = JSON.stringify(context.session ?? null);
  if (after === before) return;
  const saved = await storage.saveSession(
    destination,
    chat,
    loaded.version,
    after,
    sessionOptions.ttlSeconds,
  );
  if (!saved) throw new SessionConflictError(`${destination}:${chatId}`);
  run.log.debug({ session: chatId }, "session saved");
}
