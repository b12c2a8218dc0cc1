/** How a message reached its recipients, as LINE's statistics break sends down. */
export type SendKind = "reply" | "push" | "multicast" | "broadcast" | "narrowcast" | "pnp";

/** One accepted send request, remembered for the statistics LINE reports about a channel. */
export interface SendRecord {
  requestId: string;
  channel: string;
  kind: SendKind;
  at: number;
  /** User ids the messages reached (friends only: blocked users receive nothing). */
  recipients: string[];
  /** Message objects sent, in order; each recipient got all of them. */
  messages: Array<Record<string, unknown>>;
  /** `customAggregationUnits` of a push or multicast, for per-unit statistics. */
  aggregationUnits: string[];
}

/**
 * The emulator's own sending traffic, per channel, from which it computes what LINE reports as
 * statistics (delivery counts, message events, aggregation units).
 */
export class Traffic {
  readonly sends: SendRecord[] = [];

  record(send: SendRecord) {
    this.sends.push(send);
  }

  of(channel: string): SendRecord[] {
    return this.sends.filter((send) => send.channel === channel);
  }

  byRequestId(channel: string, requestId: string): SendRecord | undefined {
    return this.sends.find((send) => send.channel === channel && send.requestId === requestId);
  }

  /**
   * How many accepted sends reached each user (of a kind, or any), with the number of users
   * reached: the per-recipient count a test holds against "exactly once".
   */
  recipientCounts(kind?: SendKind): { counts: Record<string, number>; recipients: number } {
    const counts: Record<string, number> = {};
    for (const send of this.sends) {
      if (kind !== undefined && send.kind !== kind) continue;
      for (const userId of send.recipients) counts[userId] = (counts[userId] ?? 0) + 1;
    }
    return { counts, recipients: Object.keys(counts).length };
  }

  clear() {
    this.sends.length = 0;
  }
}
