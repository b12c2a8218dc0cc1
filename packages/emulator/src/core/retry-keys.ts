/** What LINE remembers about a request accepted under an `X-Line-Retry-Key`. */
export interface AcceptedRequest {
  requestId: string;
  acceptedAt: number;
  sentMessages?: Array<{ id: string; quoteToken?: string }>;
}

export class RetryKeys {
  private readonly accepted = new Map<string, AcceptedRequest>();
  private readonly retentionMs: number;

  constructor(retentionMs: number) {
    this.retentionMs = retentionMs;
  }

  /** The earlier acceptance of this key, if still remembered (LINE keeps keys for 24 h). */
  find(key: string, now: number): AcceptedRequest | undefined {
    const found = this.accepted.get(key.toLowerCase());
    if (!found) return undefined;
    if (now - found.acceptedAt > this.retentionMs) {
      this.accepted.delete(key.toLowerCase());
      return undefined;
    }
    return found;
  }

  accept(key: string, request: AcceptedRequest) {
    this.accepted.set(key.toLowerCase(), request);
  }

  clear() {
    this.accepted.clear();
  }
}
