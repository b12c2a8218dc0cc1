import type { webhook } from "@line/bot-sdk";
import type { WebhookEvent } from "@linefleet/webhook";
import type { BotContext } from "./context.ts";

/** Every event type LINE documents, typed from the SDK's generated webhook models. */
export type LineEvent = webhook.Event;
export type LineEventType = LineEvent["type"];
export type EventOfType<T extends LineEventType> = Extract<LineEvent, { type: T }>;
export type TextMessageEvent = webhook.MessageEvent & { message: webhook.TextMessageContent };

export type Handler<E> = (context: BotContext<E>) => unknown | Promise<unknown>;

/**
 * Routes each event to the handlers registered for its type, in registration order. Events no
 * handler claims — including types LINE adds after this release — go to the fallback handlers.
 */
export class Bot {
  readonly #handlers = new Map<string, Handler<never>[]>();
  readonly #fallbacks: Handler<WebhookEvent>[] = [];

  on<T extends LineEventType>(type: T, handler: Handler<EventOfType<T>>): this {
    const list = this.#handlers.get(type) ?? [];
    list.push(handler as Handler<never>);
    this.#handlers.set(type, list);
    return this;
  }

  /** Text messages, with the text at hand. */
  onText(handler: (context: BotContext<TextMessageEvent>, text: string) => unknown): this {
    return this.on("message", (context) => {
      const { message } = context.event;
      if (message.type === "text")
        return handler(context as BotContext<TextMessageEvent>, message.text);
      return undefined;
    });
  }

  /** Events no other handler is registered for. */
  fallback(handler: Handler<WebhookEvent>): this {
    this.#fallbacks.push(handler);
    return this;
  }

  handles(type: string): boolean {
    return this.#handlers.has(type);
  }

  async dispatch(context: BotContext<WebhookEvent>): Promise<void> {
    const handlers = this.#handlers.get(context.event.type) ?? this.#fallbacks;
    for (const handler of handlers) await (handler as Handler<WebhookEvent>)(context);
  }
}

export function createBot(): Bot {
  return new Bot();
}
