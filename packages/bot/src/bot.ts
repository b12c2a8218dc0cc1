import type { WebhookEvent } from "@linefleet/webhook";
import type { BotContext, ChatType } from "./context.ts";
import type { ConversationFunction, ConversationsOptions } from "./conversation.ts";
import type { ConversationRegistry, ConversationTurn } from "./conversation-turn.ts";
import { NonRetriableError } from "./errors.ts";
import type {
  EventOfType,
  LineEvent,
  LineEventType,
  MessageEventOf,
  MessageOfType,
  MessageType,
  Postback,
} from "./events.ts";
import {
  matchPostback,
  matchRegExp,
  type PostbackPattern,
  type TextPattern,
  toPostback,
} from "./matchers.ts";
import {
  checkRecurringSchedule,
  type RecurringHandler,
  type RecurringJob,
  type RecurringSchedule,
} from "./recurring.ts";
import type { ScheduledEvent } from "./schedule.ts";
import { type CommandOptions, type Mentionee, parseCommand, stripSelfMentions } from "./text.ts";

/** What a handler of `E` events sees: the context plus whatever middleware added (`X`). */
export type ContextOf<E, S = undefined, X extends object = object> = BotContext<E, S> & X;

/** Calls the rest of the chain: later middleware, then the route's handler. */
export type Next = () => Promise<void>;
export type Middleware<C> = (context: C, next: Next) => unknown;
/** A route's handler; `detail` is what the route matched (the text, a RegExp match, …). */
export type Handler<C, D = undefined> = (context: C, detail: D) => unknown;

/**
 * Called with what a middleware or handler threw and the event's context. Returning normally
 * handles the error: the event counts as done (not retried, no dead letter) and its session
 * changes are dropped. Throwing (the same error or another) lets that error steer the event.
 */
export type ErrorHandler<C> = (error: unknown, context: C) => unknown;

export interface RouteOptions {
  /**
   * Also run for events in `mode: "standby"` (another channel answers the chat; yours may only
   * watch). Without it, standby events skip the route. Nothing can be sent for them anyway.
   */
  standby?: boolean;
  /**
   * Only for events from chats of this type (or these types): `"user"` (one-to-one), `"group"`,
   * `"room"`. Events without a source never match a route that names a chat type.
   */
  chat?: ChatType | readonly ChatType[];
}

export interface SessionOptions<S> {
  /** The session of a chat that has none yet (or whose session expired). */
  initial: () => S;
  /** How long a session lives after its last change. Default 7 days. */
  ttlSeconds?: number;
}

export interface BotOptions<S> {
  /** Turns on `ctx.session`: one per chat, in Redis. */
  session?: SessionOptions<S>;
  /** How conversations (`bot.conversation`) treat the escape and the events they do not take. */
  conversations?: ConversationsOptions;
}

type AnyContext = BotContext<unknown, unknown>;

interface Route {
  type: string;
  standby: boolean;
  /** The chat types it takes; undefined: any. */
  chats: readonly string[] | undefined;
  /** The detail for the handler, or NO_MATCH. */
  match(event: LineEvent): unknown;
  handler: Handler<AnyContext, unknown>;
}

const NO_MATCH = Symbol("no match");

/**
 * A bot: middleware (`use`) around routes. Each event runs through every middleware, then goes
 * to the first route that matches it, in registration order; an event no route matches (including
 * event types LINE adds after this release) goes to the fallback. Events in `mode: "standby"`
 * reach only routes registered with `{ standby: true }`.
 *
 * `S` is the session type (see `createBot({ session })`); `X` is what middleware added to the
 * context, so `use<{ user: User }>(…)` makes `ctx.user` typed in every handler registered after it.
 */
export class Bot<S = undefined, X extends object = object> {
  readonly #routes: Route[] = [];
  readonly #fallbacks: Route[] = [];
  readonly #middleware: Middleware<AnyContext>[] = [];
  #errorHandler: ErrorHandler<AnyContext> | undefined;
  readonly #scheduled = new Map<string, Handler<AnyContext, unknown>>();
  readonly #recurring = new Map<string, RecurringJob>();
  /** The session settings, read by the runtime that loads and saves sessions. */
  readonly sessionOptions: SessionOptions<S> | undefined;
  /** The conversations registered (`conversation`) and their options, read by the runtime. */
  readonly conversations: ConversationRegistry;
  // biome-ignore lint/suspicious/noExplicitAny: conversations of any session type
  readonly #conversations = new Map<string, ConversationFunction<any>>();

  constructor(options: BotOptions<S> = {}) {
    this.sessionOptions = options.session;
    const maxSteps = options.conversations?.maxSteps;
    if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && maxSteps > 0)) {
      throw new RangeError(`conversations.maxSteps is a whole number above 0: got ${maxSteps}`);
    }
    this.conversations = { functions: this.#conversations, options: options.conversations ?? {} };
  }

  /**
   * Registers a conversation: a function that talks with a chat in steps, entered from a route
   * with `ctx.enter(name, args?)`. While it waits (`conv.wait()`, `conv.waitFor(…)`,
   * `conv.ask(…)`), the chat's messages and postbacks go to it before the routes. It is replayed
   * from its start for each answer (see docs/writing-bots.md for the rules its code follows).
   */
  conversation(name: string, run: ConversationFunction<S>): this {
    if (this.#conversations.has(name)) {
      throw new TypeError(`a conversation named "${name}" is already registered`);
    }
    this.#conversations.set(name, run);
    return this;
  }

  /**
   * Adds middleware, run for every event in registration order; it calls `next()` to go on (or
   * not, to stop the event here). Name what it adds to the context as `Add`, and set it before
   * calling `next()`: `use<{ user: User }>(async (ctx, next) => { ctx.user = …; await next(); })`.
   */
  use<Add extends object = object>(
    middleware: Middleware<ContextOf<LineEvent, S, X & Add>>,
  ): Bot<S, X & Add> {
    this.#middleware.push(middleware as Middleware<AnyContext>);
    return this as unknown as Bot<S, X & Add>;
  }

  /** Middleware that adds what `derive` returns to the context; its type is inferred. */
  extend<Add extends object>(
    derive: (context: ContextOf<LineEvent, S, X>) => Add | Promise<Add>,
  ): Bot<S, X & Add> {
    return this.use<Add>(async (context, next) => {
      Object.assign(context, await derive(context));
      await next();
    });
  }

  /**
   * Sets the error hook (one per bot; a second call replaces it), as grammY's `bot.catch`: it gets
   * what any middleware or handler threw, with the context. Returning normally handles the error
   * (the event is done: no retry, no dead letter, its session changes dropped); throwing, or
   * rethrowing `error`, steers the event as a handler's error would (retried, or failed for good).
   */
  catch(handler: ErrorHandler<ContextOf<LineEvent, S>>): this {
    this.#errorHandler = handler as ErrorHandler<AnyContext>;
    return this;
  }

  /** Events of one type, typed from LINE's webhook models (`follow`, `memberJoined`, …). */
  on<T extends LineEventType>(
    type: T,
    handler: Handler<ContextOf<EventOfType<T>, S, X>>,
    options?: RouteOptions,
  ): this {
    return this.#add(this.#routes, type, () => undefined, handler, options);
  }

  /** Messages of one type (`text`, `image`, `video`, `audio`, `file`, `location`, `sticker`). */
  onMessage<T extends MessageType>(
    type: T,
    handler: Handler<ContextOf<MessageEventOf<T>, S, X>, MessageOfType<T>>,
    options?: RouteOptions,
  ): this {
    return this.#add(
      this.#routes,
      "message",
      (event) => (messageOf(event)?.type === type ? messageOf(event) : NO_MATCH),
      handler,
      options,
    );
  }

  /** Every text message, with its text. */
  onText(
    handler: Handler<ContextOf<MessageEventOf<"text">, S, X>, string>,
    options?: RouteOptions,
  ): this;
  /** Text messages equal to `text`. */
  onText(
    text: string,
    handler: Handler<ContextOf<MessageEventOf<"text">, S, X>, string>,
    options?: RouteOptions,
  ): this;
  /** Text messages the RegExp matches; the handler gets the match (captures at 1, 2, … and `groups`). */
  onText(
    pattern: RegExp,
    handler: Handler<ContextOf<MessageEventOf<"text">, S, X>, RegExpExecArray>,
    options?: RouteOptions,
  ): this;
  onText(
    first: TextPattern | Handler<never, never>,
    second?: Handler<never, never> | RouteOptions,
    third?: RouteOptions,
  ): this {
    const [pattern, handler, options] = routeArguments<TextPattern>(first, second, third);
    return this.#add(
      this.#routes,
      "message",
      (event) => {
        const message = messageOf(event);
        if (message?.type !== "text") return NO_MATCH;
        if (pattern === undefined) return message.text;
        if (typeof pattern === "string") return message.text === pattern ? message.text : NO_MATCH;
        return matchRegExp(pattern, message.text) ?? NO_MATCH;
      },
      handler,
      options,
    );
  }

  /**
   * Text messages that mention the bot itself (`isSelf`, as LINE marks it in groups and rooms);
   * the handler gets the text without that mention (`ctx.textWithoutMention`).
   */
  onMention(
    handler: Handler<ContextOf<MessageEventOf<"text">, S, X>, string>,
    options?: RouteOptions,
  ): this {
    return this.#add(
      this.#routes,
      "message",
      (event) => {
        const message = messageOf(event);
        if (message?.type !== "text") return NO_MATCH;
        const mentionees: readonly Mentionee[] = message.mention?.mentionees ?? [];
        if (!mentionees.some((mentionee) => mentionee.isSelf)) return NO_MATCH;
        return stripSelfMentions(message.text, mentionees);
      },
      handler,
      options,
    );
  }

  /**
   * A command: a text whose first word is the name, after the prefix (by default `/order latte`
   * or `order latte`; any case), once the bot's own mention is stripped (`@Coffee bot order latte`
   * in a group). The handler gets the rest of the text, trimmed (`latte`; `""` without arguments).
   * Give `{ prefixes: ["/"] }` to take only `/order`, so plain talk in a group never matches.
   */
  command(
    name: string,
    handler: Handler<ContextOf<MessageEventOf<"text">, S, X>, string>,
    options?: RouteOptions & CommandOptions,
  ): this {
    if (!/^[^\s/]+$/.test(name)) {
      throw new TypeError(
        `a command's name is one word without "/" (the prefix is an option): got ${JSON.stringify(name)}`,
      );
    }
    return this.#add(
      this.#routes,
      "message",
      (event) => {
        const message = messageOf(event);
        if (message?.type !== "text") return NO_MATCH;
        const text = stripSelfMentions(message.text, message.mention?.mentionees);
        return parseCommand(name, text, options) ?? NO_MATCH;
      },
      handler,
      options,
    );
  }

  /** Every postback, parsed (`data`, `query`, typed `params` of date/time pickers). */
  onPostback(
    handler: Handler<ContextOf<EventOfType<"postback">, S, X>, Postback>,
    options?: RouteOptions,
  ): this;
  /** Postbacks whose `data` equals the string, or matches the RegExp (`postback.match`). */
  onPostback(
    data: string | RegExp,
    handler: Handler<
      ContextOf<EventOfType<"postback">, S, X>,
      Postback & { match?: RegExpExecArray }
    >,
    options?: RouteOptions,
  ): this;
  /** Postbacks whose `data`, read as a query string, has `key` (equal to `value`, if given). */
  onPostback(
    query: { key: string; value?: string },
    handler: Handler<ContextOf<EventOfType<"postback">, S, X>, Postback & { value: string }>,
    options?: RouteOptions,
  ): this;
  onPostback(
    first: PostbackPattern | Handler<never, never>,
    second?: Handler<never, never> | RouteOptions,
    third?: RouteOptions,
  ): this {
    const [pattern, handler, options] = routeArguments<PostbackPattern>(first, second, third);
    return this.#add(
      this.#routes,
      "postback",
      (event) => {
        if (event.type !== "postback") return NO_MATCH;
        const postback = toPostback(event.postback);
        if (pattern === undefined) return postback;
        const found = matchPostback(pattern, postback);
        return found ? { ...postback, ...found } : NO_MATCH;
      },
      handler,
      options,
    );
  }

  /**
   * A user unsent a message: LINE asks bots to forget it (stored copies, content, logs). The
   * handler gets the unsent message's id.
   */
  onUnsend(
    handler: Handler<ContextOf<EventOfType<"unsend">, S, X>, string>,
    options?: RouteOptions,
  ): this {
    return this.#add(
      this.#routes,
      "unsend",
      (event) => (event.type === "unsend" ? event.unsend.messageId : NO_MATCH),
      handler,
      options,
    );
  }

  /** Events no route matched, including event types LINE adds after this release. */
  fallback(handler: Handler<ContextOf<WebhookEvent, S, X>>, options?: RouteOptions): this {
    return this.#add(this.#fallbacks, "*", () => undefined, handler, options);
  }

  /**
   * A scheduled handler: `ctx.schedule(name, when, data)` runs it later in that chat, after the
   * middleware, with the chat's session, once. `ctx.event` is a `ScheduledEvent`; there is no reply
   * token then, so `ctx.reply` pushes. `data` is what was scheduled, as JSON gives it back.
   */
  onSchedule<D = unknown>(
    name: string,
    handler: Handler<ContextOf<ScheduledEvent, S, X>, D>,
  ): this {
    if (name === "" || this.#scheduled.has(name)) {
      throw new TypeError(
        `a scheduled handler needs a name of its own: got ${JSON.stringify(name)}`,
      );
    }
    this.#scheduled.set(name, handler as Handler<AnyContext, unknown>);
    return this;
  }

  /**
   * A recurring job: `handler` runs once per tick across the whole fleet, however many workers
   * run. `{ everyMs }` ticks every so many ms (at least 1000); `{ cron, tz? }` on a cron pattern
   * (five fields, or six with seconds). Declared in code: a deploy that changes or drops it
   * changes or removes it. It has no chat: its context pushes to whom it names.
   */
  every(
    name: string,
    schedule: RecurringSchedule & { channel?: string },
    handler: RecurringHandler,
  ): this {
    checkRecurringSchedule(name, schedule);
    if (this.#recurring.has(name)) throw new TypeError(`a recurring job named ${name} exists`);
    const { channel, ...timing } = schedule;
    this.#recurring.set(name, { name, schedule: timing, channel, handler });
    return this;
  }

  /** The names of the scheduled handlers (`onSchedule`). */
  get scheduledNames(): ReadonlySet<string> {
    return new Set(this.#scheduled.keys());
  }

  /** The recurring jobs (`every`), for the runtime that runs their ticks. */
  get recurringJobs(): readonly RecurringJob[] {
    return [...this.#recurring.values()];
  }

  /** Whether a route (not the fallback) is registered for this event type. */
  handles(type: string): boolean {
    return this.#routes.some((route) => route.type === type);
  }

  /**
   * Runs one event through the middleware and its route. The runtime calls this. Resolves
   * `"caught"` when the error hook (`catch`) handled an error (the runtime then saves no session),
   * else `"done"`; rejects with what was thrown when no hook handled it. With `conversations`, the
   * chat's conversation in progress is offered the event after the middleware, before the routes.
   */
  async dispatch(
    context: BotContext<unknown, unknown>,
    conversations?: ConversationTurn,
  ): Promise<"done" | "caught"> {
    const event = context.event as LineEvent;
    const takes = (route: Route) =>
      (event.mode !== "standby" || route.standby) &&
      (route.chats === undefined || route.chats.includes(event.source?.type ?? ""));
    try {
      await compose(this.#middleware, context, async () => {
        if (conversations && (await conversations.offer(context)) === "taken") return;
        if ((event.type as string) === "scheduled") return this.#runScheduled(context);
        for (const route of this.#routes) {
          if (route.type !== event.type || !takes(route)) continue;
          const detail = route.match(event);
          if (detail !== NO_MATCH) return void (await route.handler(context, detail));
        }
        const fallback = this.#fallbacks.find(takes);
        if (fallback) await fallback.handler(context, undefined);
      });
    } catch (error) {
      if (!this.#errorHandler) throw error;
      await this.#errorHandler(error, context);
      return "caught";
    }
    return "done";
  }

  async #runScheduled(context: AnyContext): Promise<void> {
    const { scheduled } = context.event as unknown as ScheduledEvent;
    const handler = this.#scheduled.get(scheduled.name);
    if (!handler) {
      // A deploy dropped the handler after the work was scheduled: no retry can find it.
      throw new NonRetriableError(`no scheduled handler named "${scheduled.name}" is registered`);
    }
    await handler(context, scheduled.data);
  }

  #add(
    list: Route[],
    type: string,
    match: (event: LineEvent) => unknown,
    handler: unknown,
    options: RouteOptions | undefined,
  ): this {
    list.push({
      type,
      match,
      handler: handler as Handler<AnyContext, unknown>,
      standby: options?.standby ?? false,
      chats: options?.chat === undefined ? undefined : [options.chat].flat(),
    });
    return this;
  }
}

function messageOf(event: LineEvent) {
  return event.type === "message" ? event.message : undefined;
}

/** Sorts out `(handler, options?)` and `(pattern, handler, options?)`. */
function routeArguments<P>(
  first: P | Handler<never, never>,
  second: Handler<never, never> | RouteOptions | undefined,
  third: RouteOptions | undefined,
): [P | undefined, Handler<never, never>, RouteOptions | undefined] {
  if (typeof first === "function") {
    return [undefined, first as Handler<never, never>, second as RouteOptions | undefined];
  }
  return [first, second as Handler<never, never>, third];
}

async function compose(
  middleware: Middleware<AnyContext>[],
  context: AnyContext,
  last: () => Promise<void>,
): Promise<void> {
  let reached = -1;
  async function step(index: number): Promise<void> {
    if (index <= reached) throw new Error("next() was called more than once by one middleware");
    reached = index;
    const current = middleware[index];
    if (!current) return last();
    await current(context, () => step(index + 1));
  }
  await step(0);
}

/** A bot without sessions. */
export function createBot(): Bot;
/** A bot with a typed per-chat session: `createBot({ session: { initial: (): S => … } })`. */
export function createBot<S>(options: BotOptions<S> & { session: SessionOptions<S> }): Bot<S>;
/** A bot without sessions, with options (`conversations`). */
export function createBot(options: Omit<BotOptions<undefined>, "session">): Bot;
export function createBot<S>(options: BotOptions<S> = {}): Bot<S> {
  return new Bot<S>(options);
}
