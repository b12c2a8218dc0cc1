/**
 * Channel access tokens issued by LINE (stateless or v2.1), cached per channel so the fleet
 * shares one. Each lapses a margin before LINE's own expiry, so no process sends a dead token.
 */
export const TOKEN_EXPIRY_MARGIN_SECONDS = 5 * 60;

/** The TTL of a cached token LINE issued with `expires_in` seconds. */
export const tokenTtlSeconds = (expiresInSeconds: number) =>
  Math.max(1, Math.floor(expiresInSeconds - TOKEN_EXPIRY_MARGIN_SECONDS));
