import type { BotContext, Say } from "./context.ts";
import type { EventOfType } from "./events.ts";
import type { TextPattern } from "./matchers.ts";

/** The events a conversation takes: what a user says (messages) or presses (postbacks). */
export type AnswerEvent = EventOfType<"message"> | EventOfType<"postback">;

/**
 * The context of an answer, as `conv.wait()` returns it. During a replay it is rebuilt from the
 * recorded event: it has the event and the context's helpers, but not what middleware added.
 */
export type AnswerContext<S> = BotContext<AnswerEvent, S>;

/**
 * Which answers a wait takes: a text (the exact text of a text message), a RegExp over the text
 * of a text message, or a predicate over the answer's context.
 */
export type ConversationMatcher<S> = TextPattern | ((context: AnswerContext<S>) => boolean);

/** What happens to an event a waiting conversation does not take. */
export type UnmatchedPolicy = "routes" | "ignore";

export interface WaitOptions<S> {
  /**
   * Ends the conversation when no answer was taken within this many milliseconds of the wait
   * starting: `otherwise` runs, then the conversation is over. Needs linefleet's scheduled work.
   */
  timeoutMs?: number;
  /**
   * Runs when the wait times out, with a context for the chat (no reply token then: `reply`
   * pushes). The conversation ends after it.
   */
  otherwise?: (context: BotContext<unknown, S>) => unknown;
  /** What an event this wait does not take does; default: the bot's `conversations.unmatched`. */
  unmatched?: UnmatchedPolicy;
}

/**
 * A conversation in progress, as its function sees it. The function is replayed from the start
 * for each answer, with the answers recorded so far (see docs/writing-bots.md for the rules this
 * sets: code between two waits must do the same thing each time it runs).
 */
export interface Conversation<S = undefined> {
  /** The conversation's name, as registered with `bot.conversation`. */
  readonly name: string;
  /** What `ctx.enter(name, args)` passed, as JSON gives it back. */
  readonly args: unknown;
  /**
   * The chat's session. While earlier steps are replayed it is a copy whose changes are dropped
   * (they were saved when those steps first ran); from the newest answer on it is the session the
   * event saves.
   */
  session: S;
  /** The chat's next message or postback (unless it is the escape, `/cancel`). */
  wait(options?: WaitOptions<S>): Promise<AnswerContext<S>>;
  /** The chat's next message or postback that `matcher` takes; others go where `unmatched` says. */
  waitFor(matcher: ConversationMatcher<S>, options?: WaitOptions<S>): Promise<AnswerContext<S>>;
  /** Sends `messages` (in the newest event's context), then waits for an answer `matcher` takes. */
  ask(
    messages: Say | Say[],
    matcher?: ConversationMatcher<S>,
    options?: WaitOptions<S>,
  ): Promise<AnswerContext<S>>;
  /** Ends the conversation here; nothing after it runs. */
  exit(): Promise<never>;
  /**
   * Runs `work` once and records its result (which must be JSON): a replay gets the recorded
   * result instead of running it again. For whatever may differ between runs: a database read,
   * a call to another service, a random choice.
   */
  external<T>(work: () => T | Promise<T>): Promise<T>;
  /** The time (epoch ms) when this point was first reached, recorded like `external`. */
  now(): Promise<number>;
}

/** A conversation's code: `ctx` is the context of the event that entered it. */
export type ConversationFunction<S> = (
  conversation: Conversation<S>,
  context: BotContext<unknown, S>,
) => unknown;

/** How conversations behave, for the whole bot (`createBot({ conversations })`). */
export interface ConversationsOptions {
  /**
   * The escape: a text that leaves any conversation, whatever it waits for. The event then goes to
   * the routes (so a `command("cancel", …)` route can answer it). Default `"/cancel"`; `false`
   * turns it off.
   */
  cancel?: TextPattern | false;
  /**
   * What a message or postback the waiting conversation does not take does: `"routes"` (default)
   * handles it as if no conversation were in progress; `"ignore"` drops it.
   */
  unmatched?: UnmatchedPolicy;
  /**
   * How many answers and `external` results a conversation may record. One that has recorded this
   * many is ended (with a warning) when the next message comes, which then goes to the routes: the
   * log, replayed for every answer, stays small. Default 100.
   */
  maxSteps?: number;
}
