import type { ChatRef } from "./world.ts";

interface TokenState {
  chat: ChatRef;
  webhookEventId: string;
  eventTimestamp: number;
  /** When the latest webhook carrying this token was sent; the TTL counts from here. */
  lastSentAt: number;
  redelivered: boolean;
  used: boolean;
}

export type TokenCheck = { ok: true; chat: ChatRef; webhookEventId: string } | { ok: false };

/**
 * LINE's reply-token rules: single use; valid for a TTL after each webhook that carried it;
 * once redelivered, never more than a fixed cap after the event itself.
 */
export class ReplyTokens {
  private readonly tokens = new Map<string, TokenState>();
  private readonly redeliveredCapMs: number;

  constructor(redeliveredCapMs: number) {
    this.redeliveredCapMs = redeliveredCapMs;
  }

  issue(token: string, state: { chat: ChatRef; webhookEventId: string; eventTimestamp: number }) {
    this.tokens.set(token, {
      ...state,
      lastSentAt: state.eventTimestamp,
      redelivered: false,
      used: false,
    });
  }

  sent(token: string, at: number, isRedelivery: boolean) {
    const state = this.tokens.get(token);
    if (!state) return;
    state.lastSentAt = at;
    if (isRedelivery) state.redelivered = true;
  }

  /** Checks a token and, when it is good, uses it up in the same step. */
  consume(token: string, now: number, ttlMs: number): TokenCheck {
    const state = this.tokens.get(token);
    if (!state || state.used) return { ok: false };
    if (now - state.lastSentAt > ttlMs) return { ok: false };
    if (state.redelivered && now - state.eventTimestamp > this.redeliveredCapMs) {
      return { ok: false };
    }
    state.used = true;
    return { ok: true, chat: state.chat, webhookEventId: state.webhookEventId };
  }

  clear() {
    this.tokens.clear();
  }
}
