import { describe, expect, it } from "vitest";
import { chatIdOf, parseEnvelope } from "../src/index.ts";

const event = {
  type: "message",
  mode: "active",
  timestamp: 1_700_000_000_000,
  source: { type: "user", userId: "Uaaa" },
  webhookEventId: "01HZZZZZZZZZZZZZZZZZZZZZZZ",
  deliveryContext: { isRedelivery: false },
  replyToken: "token",
  message: { id: "1", type: "text", text: "hi", quoteToken: "q" },
};

describe("parseEnvelope", () => {
  it("reads exactly the bytes of a view into a larger buffer, multi-byte text included", () => {
    const body = JSON.stringify({
      destination: "Ubot",
      events: [{ ...event, message: { ...event.message, text: "こんにちは 👋" } }],
    });
    const bytes = Buffer.from(`garbage before${body}garbage after`);
    const start = "garbage before".length;
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + start, Buffer.byteLength(body));
    const parsed = parseEnvelope(view);
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(parsed.envelope.events[0]).toMatchObject({ message: { text: "こんにちは 👋" } });
  });

  it("keeps fields and event types it does not know, untouched", () => {
    const body = {
      destination: "Ubot",
      somethingNew: { a: 1 },
      events: [
        { ...event, newProperty: [1, 2, 3], message: { ...event.message, futureField: true } },
        {
          type: "eventTypeFrom2030",
          webhookEventId: "01J",
          timestamp: 1,
          deliveryContext: { isRedelivery: true },
          x: "y",
        },
      ],
    };
    const parsed = parseEnvelope(JSON.stringify(body));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.envelope).toEqual(body);
  });

  it("accepts the console's Verify request, which has no events", () => {
    const parsed = parseEnvelope('{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}');
    expect(parsed).toMatchObject({ ok: true, envelope: { events: [] } });
  });

  it("tells invalid JSON from a JSON value that is not an envelope", () => {
    expect(parseEnvelope("{not json")).toMatchObject({ ok: false, reason: "invalid_json" });
    expect(parseEnvelope("[]")).toMatchObject({ ok: false, reason: "invalid_envelope" });
    expect(parseEnvelope('{"destination":"U"}')).toMatchObject({
      ok: false,
      reason: "invalid_envelope",
    });
    const missingId = parseEnvelope(
      JSON.stringify({ destination: "U", events: [{ ...event, webhookEventId: undefined }] }),
    );
    expect(missingId).toMatchObject({ ok: false, reason: "invalid_envelope" });
    if (!missingId.ok) expect(missingId.detail).toContain("webhookEventId");
  });
});

describe("chatIdOf", () => {
  it("prefers the group, then the room, then the user", () => {
    expect(chatIdOf({ type: "group", groupId: "C1", userId: "U1" })).toBe("C1");
    expect(chatIdOf({ type: "room", roomId: "R1", userId: "U1" })).toBe("R1");
    expect(chatIdOf({ type: "user", userId: "U1" })).toBe("U1");
    expect(chatIdOf(undefined)).toBeUndefined();
  });
});
