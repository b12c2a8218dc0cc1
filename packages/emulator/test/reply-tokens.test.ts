import { describe, expect, it } from "vitest";
import { ReplyTokens } from "../src/core/reply-tokens.ts";

const chat = { type: "user" as const, userId: `U${"1".repeat(32)}` };
const minute = 60_000;

function issued(at = 0) {
  const tokens = new ReplyTokens(20 * minute);
  tokens.issue("t", { chat, webhookEventId: "E", eventTimestamp: at });
  return tokens;
}

describe("ReplyTokens", () => {
  it("is single use", () => {
    const tokens = issued();
    expect(tokens.consume("t", 1_000, minute)).toEqual({ ok: true, chat, webhookEventId: "E" });
    expect(tokens.consume("t", 1_001, minute)).toEqual({ ok: false });
  });

  it("expires a TTL after the latest webhook that carried it", () => {
    expect(issued().consume("t", minute + 1, minute).ok).toBe(false);
    const tokens = issued();
    tokens.sent("t", 30_000, false);
    expect(tokens.consume("t", 30_000 + minute, minute).ok).toBe(true);
  });

  it("dies 20 minutes after the event once redelivered, whatever the TTL", () => {
    const tokens = issued();
    tokens.sent("t", 19 * minute + 59_000, true);
    expect(tokens.consume("t", 20 * minute + 1, 10 * minute).ok).toBe(false);
    const early = issued();
    early.sent("t", 5 * minute, true);
    expect(early.consume("t", 5 * minute + 30_000, minute).ok).toBe(true);
  });

  it("refuses unknown tokens", () => {
    expect(issued().consume("other", 0, minute).ok).toBe(false);
  });
});
