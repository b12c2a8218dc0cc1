/** How long a link token may be used: LINE documents ten minutes. */
const linkTokenTtlMs = 10 * 60_000;

/** Whose a link token is: the channel whose bot issued it and the user it links. */
export interface LinkTokenOwner {
  channel: string;
  userId: string;
}

interface LinkTokenState extends LinkTokenOwner {
  issuedAt: number;
  used: boolean;
}

/**
 * The link tokens bots issued for account linking (`POST /v2/bot/user/{userId}/linkToken`): each
 * belongs to one user of one channel, is valid for ten minutes and can be used once.
 */
export class LinkTokens {
  private readonly tokens = new Map<string, LinkTokenState>();

  issue(token: string, owner: LinkTokenOwner, now: number) {
    this.tokens.set(token, { ...owner, issuedAt: now, used: false });
  }

  /** The owner's newest token that is still usable, as the account-link page would carry it. */
  newestFor(owner: LinkTokenOwner, now: number): string | undefined {
    let newest: { token: string; issuedAt: number } | undefined;
    for (const [token, state] of this.tokens) {
      if (!this.usableBy(state, owner, now)) continue;
      if (!newest || state.issuedAt >= newest.issuedAt)
        newest = { token, issuedAt: state.issuedAt };
    }
    return newest?.token;
  }

  /** Uses a token up when it is the owner's, unused and unexpired; false otherwise. */
  consume(token: string, owner: LinkTokenOwner, now: number): boolean {
    const state = this.tokens.get(token);
    if (!state || !this.usableBy(state, owner, now)) return false;
    state.used = true;
    return true;
  }

  clear() {
    this.tokens.clear();
  }

  private usableBy(state: LinkTokenState, owner: LinkTokenOwner, now: number) {
    return (
      state.channel === owner.channel &&
      state.userId === owner.userId &&
      !state.used &&
      now - state.issuedAt <= linkTokenTtlMs
    );
  }
}
