import type { WebhookEvent } from "@linefleet/webhook";
import type { BotContext } from "./context.ts";
import { toMessages } from "./context.ts";
import type {
  AnswerContext,
  Conversation,
  ConversationFunction,
  ConversationMatcher,
  UnmatchedPolicy,
  WaitOptions,
} from "./conversation.ts";
import { asRecorded, type ConversationLog } from "./conversation-log.ts";
import { ConversationReplayError } from "./errors.ts";
import { matchRegExp } from "./matchers.ts";
import type { Responder, SendReport } from "./responder.ts";

// biome-ignore lint/suspicious/noExplicitAny: a conversation of any session type
type AnyContext = BotContext<any, any>;

/**
 * Why the run is made: `enter` runs a new conversation live from its start; `offer` replays it to
 * its pending wait and offers it the event being handled; `timeout` replays it to its pending
 * wait and runs that wait's `otherwise`.
 */
export type ReplayMode = "enter" | "offer" | "timeout";

export interface ReplayInput {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: a conversation of any session type
  run: ConversationFunction<any>;
  log: ConversationLog;
  mode: ReplayMode;
  /** The event being handled: its context (with what middleware added) and its responder. */
  live: { context: AnyContext; responder: Responder };
  /** A context for a recorded event, sending through `responder`. */
  contextOf(event: WebhookEvent, responder: Responder): AnyContext;
  /** The bot's `conversations.unmatched`. */
  unmatched: UnmatchedPolicy;
}

export type ReplayOutcome =
  /** Stopped at a new wait; `steps` is the log to store. */
  | { kind: "waiting"; steps: ConversationLog["steps"]; timeoutMs: number | undefined }
  /** The pending wait did not take the offered event. */
  | { kind: "not-taken"; unmatched: UnmatchedPolicy }
  | { kind: "ended"; how: "returned" | "exited" | "timed-out" };

/** A promise that never settles: how a run stops at a wait (what follows it never runs). */
const never = new Promise<never>(() => {});

/**
 * What a context does besides sending that must happen once: scheduling (whose ids follow the
 * event being handled, so a replay would schedule anew) and rich menu links. In a conversation
 * each call's result is recorded, as `conv.external` records, and a replay returns it.
 */
const RECORDED_CALLS = [
  "pushLater",
  "schedule",
  "cancelLater",
  "linkRichMenu",
  "unlinkRichMenu",
] as const;

const alreadySent = (via: "reply" | "push"): Promise<SendReport> =>
  Promise.resolve({ status: "skipped", via, reason: "already_sent" });

/**
 * Runs a conversation's function from its start, as grammY's conversations plugin does: each wait
 * returns the next recorded answer, each `external` its recorded result, and what was sent in those
 * earlier steps is not sent again (the sends report `already_sent`). The first wait past the
 * recording is the pending one; there the run goes live (the event is taken, or the timeout's
 * `otherwise` runs) and stops at the next wait by never resolving it — the abandoned function is
 * garbage once nothing references it, so no thread or timer holds it across events.
 */
export async function replayConversation(input: ReplayInput): Promise<ReplayOutcome> {
  const { log, mode, live } = input;
  const steps = [...log.steps];
  let cursor = 0;
  let isLive = mode === "enter";
  let ended = false;
  let stop!: (outcome: ReplayOutcome) => void;
  const stopped = new Promise<ReplayOutcome>((resolve) => {
    stop = resolve;
  });
  const halt = (outcome: ReplayOutcome): Promise<never> => {
    if (!ended) {
      ended = true;
      stop(outcome);
    }
    return never;
  };
  const sending = () => isLive && !ended;

  // Earlier steps change a copy of the session (their changes were saved when they first ran);
  // from the live point on, the event's own session.
  let replayedSession: unknown = asRecorded(live.context.session);
  const session = {
    get: () => (isLive ? live.context.session : replayedSession),
    set(value: unknown) {
      if (isLive) live.context.session = value;
      else replayedSession = value;
    },
  };

  // Recorded events' contexts send through the event being handled, once live; before, nothing.
  const relay: Responder = {
    get replyDeadline() {
      return sending() ? live.responder.replyDeadline : 0;
    },
    reply: (messages) => (sending() ? live.responder.reply(messages) : alreadySent("reply")),
    push: (messages) => (sending() ? live.responder.push(messages) : alreadySent("push")),
  };
  /** Calls whose results a replay returns from the log instead of making them again. */
  function recordCalls(context: AnyContext, target: AnyContext): void {
    for (const name of RECORDED_CALLS) {
      const call = target[name] as (...args: unknown[]) => Promise<unknown>;
      Object.assign(context, { [name]: (...args: unknown[]) => external(() => call(...args)) });
    }
  }
  function recorded(event: WebhookEvent): AnyContext {
    const context = input.contextOf(event, relay);
    Object.defineProperty(context, "session", { ...session, enumerable: true });
    const { showLoading, markAsRead } = context;
    context.showLoading = (seconds) => (sending() ? showLoading(seconds) : Promise.resolve());
    context.markAsRead = () => (sending() ? markAsRead() : Promise.resolve(false));
    recordCalls(context, context);
    return context;
  }
  /**
   * The event being handled, as the conversation sees it: the event's own context (what
   * middleware added included) with its recorded calls, leaving the route's context as it is.
   */
  function liveView(): AnyContext {
    const view = Object.create(live.context) as AnyContext;
    Object.defineProperty(view, "session", { ...session, enumerable: true });
    recordCalls(view, live.context);
    return view;
  }

  const entering = mode === "enter" ? liveView() : recorded(log.entered);
  let latest: AnyContext = entering;

  function next(): ConversationLog["steps"][number] | undefined {
    return cursor < steps.length ? steps[cursor++] : undefined;
  }

  async function external<T>(work: () => T | Promise<T>): Promise<T> {
    if (ended) return never;
    const step = next();
    if (step) {
      if ("event" in step) {
        throw new ConversationReplayError(input.name, "a value where an answer was recorded");
      }
      return step.value as T;
    }
    if (!isLive) throw new ConversationReplayError(input.name, "a value that was never recorded");
    const value = asRecorded(await work());
    steps.push(value === undefined ? {} : { value });
    cursor++;
    return value;
  }

  async function waitFor(
    matcher: ConversationMatcher<unknown> | undefined,
    options: WaitOptions<unknown> = {},
  ): Promise<AnswerContext<unknown>> {
    if (ended) return never;
    const step = next();
    if (step) {
      if (!("event" in step))
        throw new ConversationReplayError(input.name, "a wait where a value was recorded");
      latest = recorded(step.event);
      return latest as AnswerContext<unknown>;
    }
    if (mode === "offer" && !isLive) {
      if (matcher !== undefined && !matches(matcher, live.context as AnswerContext<unknown>)) {
        return halt({ kind: "not-taken", unmatched: options.unmatched ?? input.unmatched });
      }
      steps.push({ event: live.context.event as WebhookEvent });
      cursor++;
      isLive = true;
      latest = liveView();
      return latest as AnswerContext<unknown>;
    }
    if (mode === "timeout" && !isLive) {
      isLive = true;
      await options.otherwise?.(live.context);
      return halt({ kind: "ended", how: "timed-out" });
    }
    return halt({ kind: "waiting", steps, timeoutMs: options.timeoutMs });
  }

  const conversation: Conversation<unknown> = {
    name: input.name,
    args: log.args,
    get session() {
      return session.get();
    },
    set session(value) {
      session.set(value);
    },
    wait: (options) => waitFor(undefined, options),
    waitFor,
    async ask(messages, matcher, options) {
      if (ended) return never;
      await latest.reply(...toMessages([messages].flat()));
      return waitFor(matcher, options);
    },
    exit: () => halt({ kind: "ended", how: "exited" }),
    external,
    now: () => external(() => Date.now()),
  };

  const finished = Promise.resolve()
    .then(() => input.run(conversation, entering))
    .then((): ReplayOutcome => ({ kind: "ended", how: "returned" }));
  try {
    return await Promise.race([finished, stopped]);
  } finally {
    // A function that goes on past its end (code it did not await) sends nothing more.
    ended = true;
  }
}

function matches(matcher: ConversationMatcher<unknown>, context: AnswerContext<unknown>): boolean {
  if (typeof matcher === "function") return matcher(context);
  const text = context.text;
  if (text === undefined) return false;
  return typeof matcher === "string" ? text === matcher : matchRegExp(matcher, text) !== undefined;
}
