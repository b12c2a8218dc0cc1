/**
 * Where a LINE client gets its channel access token. `invalidate` is called when LINE answers
 * 401 with that token; a renewable source then issues a new one, and the call is retried once.
 */
export interface TokenSource {
  /** False for a static token: a 401 would only repeat, so nothing is retried. */
  readonly renewable: boolean;
  get(): Promise<string>;
  invalidate(accessToken: string): Promise<void>;
  /** The token last handed out, for synchronous users (the SDK clients a bot reaches directly). */
  current(): string | undefined;
}

export function staticTokenSource(accessToken: string): TokenSource {
  return {
    renewable: false,
    get: async () => accessToken,
    invalidate: async () => {},
    current: () => accessToken,
  };
}
