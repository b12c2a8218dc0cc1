import type { SendVia } from "@linefleet/bot";

/**
 * What happened to each message batch an event sent, so a retried or replayed event never shows
 * the user a message twice. Positions count the sends an event's handlers make, in order.
 */

export interface LedgerEntry {
  status: "sending" | "delivered" | "rejected" | "unknown";
  via: SendVia;
  at: number;
  requestId?: string;
  error?: string;
}

export interface SendLedger {
  /**
   * Marks a send as started unless one is recorded; returns the earlier record if there was one.
   * `via` is how this send would go, `preferred` how the handler asked for it (a reply may have to
   * go by push): a ledger that only knows an earlier attempt died uses both to guess what it sent.
   */
  claim(
    webhookEventId: string,
    position: number,
    via: SendVia,
    at: number,
    preferred?: SendVia,
  ): Promise<LedgerEntry | undefined>;
  record(webhookEventId: string, position: number, entry: LedgerEntry): Promise<void>;
  entries(webhookEventId: string): Promise<Map<number, LedgerEntry>>;
}

/** A ledger for one process, for unit tests. */
export function createMemoryLedger(): SendLedger {
  const store = new Map<string, Map<number, LedgerEntry>>();
  const of = (id: string) => {
    const entries = store.get(id) ?? new Map<number, LedgerEntry>();
    store.set(id, entries);
    return entries;
  };
  return {
    async claim(id, position, via, at) {
      const entries = of(id);
      const earlier = entries.get(position);
      if (!earlier) entries.set(position, { status: "sending", via, at });
      return earlier;
    },
    async record(id, position, entry) {
      of(id).set(position, entry);
    },
    async entries(id) {
      return new Map(of(id));
    },
  };
}
