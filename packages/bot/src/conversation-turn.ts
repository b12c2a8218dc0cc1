import type { WebhookEvent } from "@linefleet/webhook";
import type { BotContext } from "./context.ts";
import type { ConversationFunction, ConversationsOptions } from "./conversation.ts";
import { asRecorded, type ConversationLog, parseConversationLog } from "./conversation-log.ts";
import { type ReplayMode, type ReplayOutcome, replayConversation } from "./conversation-replay.ts";
import { ContextUsageError, ConversationReplayError } from "./errors.ts";
import { matchRegExp } from "./matchers.ts";
import type { Responder } from "./responder.ts";
import type { ScheduledEvent } from "./schedule.ts";

/**
 * The scheduled handler a conversation's timeout runs as (reserved: `bot.onSchedule` with this
 * name is never reached). Its data names the conversation and the wait it is for.
 */
export const CONVERSATION_TIMEOUT = "linefleet.conversation-timeout";

/** `conversations.maxSteps` unless the bot sets it. */
const DEFAULT_MAX_STEPS = 100;

/**
 * What a timeout carries: which conversation (its name, and the event that entered it, so a
 * conversation entered again is not timed out by its predecessor's timeout), and which wait.
 */
export interface ConversationTimeoutData {
  name: string;
  entered: string;
  wait: number;
}

// biome-ignore lint/suspicious/noExplicitAny: a conversation of any session type
type AnyContext = BotContext<any, any>;

/** The conversations a bot registered, and how they behave. */
export interface ConversationRegistry {
  // biome-ignore lint/suspicious/noExplicitAny: conversations of any session type
  readonly functions: ReadonlyMap<string, ConversationFunction<any>>;
  readonly options: ConversationsOptions;
}

/** Where a turn's conversation waits with a timeout; the runtime's scheduled work arms it. */
export interface ConversationTimeout extends ConversationTimeoutData {
  /** Epoch ms. */
  at: number;
}

export interface ConversationTurnOptions {
  registry: ConversationRegistry;
  /** The chat's stored conversation (JSON), if any. */
  stored: string | undefined;
  responder: Responder;
  /** A context for a recorded event, sending through `responder`. */
  contextOf(event: WebhookEvent, responder: Responder): AnyContext;
  now: () => number;
}

/**
 * A chat's conversation during one event: offers the event to the conversation in progress (or
 * lets it through to the routes), enters new ones, and says what to store afterwards.
 */
export class ConversationTurn {
  readonly #options: ConversationTurnOptions;
  #log: ConversationLog | undefined;
  #changed = false;
  #running = false;
  /** Set when the conversation stopped at a wait with a timeout during this turn. */
  timeout: ConversationTimeout | undefined;
  /** How the conversation in progress ended during this turn, if it did. */
  ended:
    | { name: string; how: "returned" | "exited" | "timed-out" | "cancelled" | "dropped" }
    | undefined;

  constructor(options: ConversationTurnOptions) {
    this.#options = options;
    this.#log = parseConversationLog(options.stored);
    // A stored log that cannot be read is dropped: it would otherwise hold the chat for good.
    if (options.stored !== undefined && !this.#log) this.#changed = true;
  }

  /** What the session write does to the stored conversation (see `ConversationWrite`). */
  get write(): string | null | undefined {
    if (!this.#changed) return undefined;
    return this.#log ? JSON.stringify(this.#log) : null;
  }

  /**
   * Offers the event to the conversation in progress. `"taken"`: the conversation handled it (the
   * routes do not see it); `"routes"`: it goes to the routes.
   */
  async offer(context: AnyContext): Promise<"taken" | "routes"> {
    const log = this.#log;
    const event = context.event as WebhookEvent;
    if ((event.type as string) === "scheduled") {
      const { scheduled } = event as unknown as ScheduledEvent;
      if (scheduled.name !== CONVERSATION_TIMEOUT) return "routes";
      const due = scheduled.data as ConversationTimeoutData;
      if (log?.name === due.name && log.entered.webhookEventId === due.entered) {
        await this.#timeOut(log, context, due.wait);
      }
      return "taken";
    }
    if (!log || event.mode === "standby") return "routes";
    if (event.type !== "message" && event.type !== "postback") return "routes";
    const { cancel = "/cancel" } = this.#options.registry.options;
    if (cancel !== false && context.text !== undefined && isEscape(cancel, context.text)) {
      this.#end(log.name, "cancelled");
      context.log.info({ conversation: log.name }, "conversation cancelled");
      return "routes";
    }
    const { maxSteps = DEFAULT_MAX_STEPS } = this.#options.registry.options;
    if (log.steps.length >= maxSteps) {
      context.log.warn(
        { conversation: log.name, steps: log.steps.length },
        "conversation dropped: it recorded conversations.maxSteps steps",
      );
      this.#end(log.name, "dropped");
      return "routes";
    }
    const outcome = await this.#replay(log, "offer", context);
    if (outcome === undefined) return "routes";
    if (outcome.kind === "not-taken") return outcome.unmatched === "ignore" ? "taken" : "routes";
    return "taken";
  }

  /** Starts the conversation `name` with `context` (ending any other in progress). */
  async enter(context: AnyContext, name: string, args: unknown): Promise<void> {
    if (this.#running) {
      throw new ContextUsageError("enter() is for routes: a conversation cannot enter another");
    }
    if (!this.#options.registry.functions.has(name)) {
      throw new ContextUsageError(
        `no conversation named "${name}": register it with bot.conversation()`,
      );
    }
    const previous = this.#log;
    if (previous) this.#end(previous.name, "exited");
    const log: ConversationLog = {
      name,
      entered: context.event as WebhookEvent,
      steps: [],
      waits: 0,
    };
    if (args !== undefined) log.args = asRecorded(args);
    this.#log = log;
    this.#changed = true;
    await this.#replay(log, "enter", context);
  }

  /**
   * Runs the pending wait's `otherwise` and ends the conversation, if it still waits at `wait`.
   * A timeout of a wait it moved on from (answered, or a conversation entered since) does nothing.
   */
  async #timeOut(log: ConversationLog, context: AnyContext, wait: number): Promise<void> {
    if (log.waits !== wait) return;
    context.log.info({ conversation: log.name }, "conversation timed out");
    await this.#replay(log, "timeout", context);
  }

  /** Replays `log`; undefined when the conversation could not be replayed (it is then dropped). */
  async #replay(log: ConversationLog, mode: ReplayMode, context: AnyContext) {
    const run = this.#options.registry.functions.get(log.name);
    if (!run) {
      context.log.warn({ conversation: log.name }, "conversation no longer registered; dropped");
      this.#end(log.name, "dropped");
      return undefined;
    }
    let outcome: ReplayOutcome;
    this.#running = true;
    try {
      outcome = await replayConversation({
        name: log.name,
        run,
        log,
        mode,
        live: { context, responder: this.#options.responder },
        contextOf: this.#options.contextOf,
        unmatched: this.#options.registry.options.unmatched ?? "routes",
      });
    } catch (error) {
      // Code changed under a conversation in progress (a deploy): retrying cannot help.
      if (!(error instanceof ConversationReplayError)) throw error;
      context.log.warn({ err: error, conversation: log.name }, "conversation dropped");
      this.#end(log.name, "dropped");
      return undefined;
    } finally {
      this.#running = false;
    }
    if (outcome.kind === "waiting") {
      const waits = log.waits + 1;
      const at =
        outcome.timeoutMs === undefined ? undefined : this.#options.now() + outcome.timeoutMs;
      this.#log = { ...log, steps: outcome.steps, waits };
      if (at === undefined) delete this.#log.timeoutAt;
      else {
        this.#log.timeoutAt = at;
        this.timeout = { name: log.name, entered: log.entered.webhookEventId, wait: waits, at };
      }
      this.#changed = true;
    } else if (outcome.kind === "ended") {
      this.#end(log.name, outcome.how);
    }
    return outcome;
  }

  #end(name: string, how: NonNullable<ConversationTurn["ended"]>["how"]) {
    this.#log = undefined;
    this.#changed = true;
    this.timeout = undefined;
    this.ended = { name, how };
  }
}

function isEscape(cancel: string | RegExp, text: string): boolean {
  return typeof cancel === "string"
    ? text.trim().toLowerCase() === cancel.toLowerCase()
    : matchRegExp(cancel, text) !== undefined;
}
