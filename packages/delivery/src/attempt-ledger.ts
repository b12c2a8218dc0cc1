import type { SendVia } from "@linefleet/bot";
import type { LedgerEntry, SendLedger } from "./send-ledger.ts";

/**
 * The send ledger of one attempt of one event, held in memory: loaded by the script that starts
 * the attempt, written back by the one that ends it. So sending costs no Redis round trip.
 *
 * What a worker that dies mid-attempt sent is unknown (nothing was written per send). The next
 * attempt learns that such an attempt began (and when), and treats each position it has no entry
 * for as possibly sent by it, the way the dead one would have sent it: a push is sent again with
 * the same retry key (LINE refuses a double), a reply is settled as unknown rather than pushed.
 */
export class AttemptLedger implements SendLedger {
  readonly #entries: Map<number, LedgerEntry>;
  readonly #changed = new Map<number, LedgerEntry>();
  readonly #interruptedAt: number | undefined;
  readonly #replyDeadline: number;

  constructor(
    entries: Map<number, LedgerEntry>,
    { interruptedAt, replyDeadline }: { interruptedAt: number | undefined; replyDeadline: number },
  ) {
    this.#entries = entries;
    this.#interruptedAt = interruptedAt;
    this.#replyDeadline = replyDeadline;
  }

  async claim(_id: string, position: number, via: SendVia, at: number, preferred?: SendVia) {
    const earlier = this.#entries.get(position) ?? this.#interrupted(via, preferred ?? via);
    if (!earlier) this.#set(position, { status: "sending", via, at });
    return earlier;
  }

  async record(_id: string, position: number, entry: LedgerEntry) {
    this.#set(position, entry);
  }

  async entries() {
    return new Map(this.#entries);
  }

  /** The sends of this attempt, to write back: position, entry (JSON), … */
  changes(): string[] {
    return [...this.#changed].flatMap(([position, entry]) => [
      String(position),
      JSON.stringify(entry),
    ]);
  }

  #set(position: number, entry: LedgerEntry) {
    this.#entries.set(position, entry);
    this.#changed.set(position, entry);
  }

  /** What a dead earlier attempt may have sent at a position this attempt knows nothing of. */
  #interrupted(via: SendVia, preferred: SendVia): LedgerEntry | undefined {
    const at = this.#interruptedAt;
    if (at === undefined) return undefined;
    // A handler asking to push pushed then too; one asking to reply replied while the token was
    // young (time only moves on), so a send that must be pushed now may have been a reply then.
    const then: SendVia =
      via === "reply" || (preferred === "reply" && at < this.#replyDeadline) ? "reply" : "push";
    return { status: "sending", via: then, at };
  }
}
