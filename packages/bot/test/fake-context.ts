import { createMemoryLedger, EventResponder } from "@linefleet/delivery";
import type { LineClient, Message } from "@linefleet/line-client";
import type { WebhookEvent } from "@linefleet/webhook";
import { createContext } from "../src/create-context.ts";
import type { BotServices, BotStorage } from "../src/index.ts";

/** What the fake LINE client was asked to do. */
interface Sent {
  via: "reply" | "push" | "loading" | "markAsRead";
  messages?: Message[];
  body?: unknown;
}

/**
 * A context over a recording LINE client and the real responder with an in-memory ledger: for
 * unit tests of routing and of the context's own logic. Everything that talks to Redis or LINE for real is tested in the
 * integration tests.
 */
export function fakeContext<S = undefined>(
  event: Record<string, unknown>,
  session?: S,
  attempt = 1,
) {
  const sent: Sent[] = [];
  const logs: string[] = [];
  const ok = { sentMessages: [], requestId: undefined, alreadyAccepted: false };
  const client = {
    reply: async (_token: string, messages: Message[]) => {
      sent.push({ via: "reply", messages });
      return ok;
    },
    push: async (_to: string, messages: Message[]) => {
      sent.push({ via: "push", messages });
      return ok;
    },
    api: {
      showLoadingAnimation: async (body: unknown) => void sent.push({ via: "loading", body }),
      markMessagesAsReadByToken: async (body: unknown) =>
        void sent.push({ via: "markAsRead", body }),
    },
    blob: {},
  } as unknown as LineClient;
  const full = {
    webhookEventId: "01HXYZ",
    timestamp: Date.now(),
    mode: "active",
    source: { type: "user", userId: "Ualice" },
    replyToken: "reply-token",
    deliveryContext: { isRedelivery: false },
    ...event,
  } as WebhookEvent;
  const ledger = createMemoryLedger();
  const responder = new EventResponder(
    {
      webhookEventId: full.webhookEventId,
      timestamp: full.timestamp,
      replyToken: full.replyToken,
      chatId: "Ualice",
      mode: full.mode,
    },
    client,
    ledger,
    { replyTokenMaxAgeMs: 50_000 },
  );
  // As pino reads its arguments: a message alone, or an object then a message.
  const log = (first: unknown, message?: unknown) =>
    void logs.push(String((typeof first === "string" ? first : message) ?? ""));
  const context = createContext({
    destination: "Ubot",
    event: full,
    channel: { name: "default" },
    client,
    responder,
    // Neither storage nor services are reached by the unit tests.
    storage: {} as BotStorage,
    services: {} as BotServices,
    log: { info: log, warn: log, error: () => {}, debug: () => {} },
    session: session as S,
    attempt,
  });
  return { context, sent, logs, ledger };
}

export const text = (value: string, extra: Record<string, unknown> = {}) => ({
  type: "message",
  message: { id: "m1", type: "text", text: value, quoteToken: "q1", ...extra },
});
