import { randomBytes, randomUUID } from "node:crypto";
import { signBody } from "@linefleet/webhook";
import { ulid } from "ulid";

/** Test fixtures shaped like LINE's webhook payloads. Every factory takes overrides. */

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
export const makeUserId = () => `U${hex(16)}`;
export const makeGroupId = () => `C${hex(16)}`;
export const makeRoomId = () => `R${hex(16)}`;
/** A bot's user ID (the `destination` of its webhooks): the same shape as a user's. */
export const makeBotUserId = () => `U${hex(16)}`;

/** A ULID, as LINE's webhookEventId is, timed at `now`. */
export const makeWebhookEventId = (now = Date.now()): string => ulid(now);

export type FixtureEvent = Record<string, unknown> & {
  type: string;
  webhookEventId: string;
  timestamp: number;
};

export function makeEvent(type: string, overrides: Record<string, unknown> = {}): FixtureEvent {
  const timestamp = typeof overrides.timestamp === "number" ? overrides.timestamp : Date.now();
  return {
    type,
    mode: "active",
    timestamp,
    source: { type: "user", userId: makeUserId() },
    webhookEventId: makeWebhookEventId(timestamp),
    deliveryContext: { isRedelivery: false },
    ...overrides,
  };
}

export function makeTextMessageEvent(
  text: string,
  overrides: Record<string, unknown> = {},
): FixtureEvent {
  return makeEvent("message", {
    replyToken: hex(16),
    message: { id: String(Date.now()) + hex(2), type: "text", text, quoteToken: randomUUID() },
    ...overrides,
  });
}

export function makeEnvelope(events: readonly object[], destination = `U${"0".repeat(32)}`) {
  return { destination, events };
}

/** A webhook request as LINE would send it: the exact bytes and their signature. */
export function signedWebhook(payload: object | string, channelSecret: string) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  return {
    body,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-line-signature": signBody(body, channelSecret),
      "user-agent": "LineBotWebhook/2.0",
    },
  };
}
