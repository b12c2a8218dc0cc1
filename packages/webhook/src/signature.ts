import { createHmac, timingSafeEqual } from "node:crypto";

/** LINE's `x-line-signature`: base64 of HMAC-SHA256 over the raw body, keyed by the channel secret. */
export function signBody(body: string | Uint8Array, channelSecret: string): string {
  return createHmac("sha256", channelSecret).update(body).digest("base64");
}

/**
 * Checks a signature against the exact bytes LINE sent. Anything that re-encodes the body
 * (JSON.parse + stringify, a proxy, a charset conversion) breaks the check, so call this first.
 */
export function verifySignature(
  rawBody: Uint8Array,
  channelSecret: string,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = createHmac("sha256", channelSecret).update(rawBody).digest();
  const given = Buffer.from(signature, "base64");
  // timingSafeEqual throws on unequal lengths; a length mismatch reveals nothing secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
