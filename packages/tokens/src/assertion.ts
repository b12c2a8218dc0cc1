import { sign } from "node:crypto";

export interface AssertionInput {
  channelId: string;
  kid: string;
  /** PEM of the RSA private key whose public JWK is registered for the channel. */
  privateKey: string;
  /** Lifetime asked for the access token, in seconds (LINE allows up to 30 days). */
  tokenExpSeconds: number;
  now: number;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/**
 * The signed JWT that LINE's v2.1 token endpoint takes as `client_assertion` (RS256). Three
 * base64url parts and one RSA-SHA256 signature from node:crypto: no JWT library needed for that.
 */
export function signAssertion(input: AssertionInput): string {
  const header = { alg: "RS256", typ: "JWT", kid: input.kid };
  const nowSeconds = Math.floor(input.now / 1000);
  const payload = {
    iss: input.channelId,
    sub: input.channelId,
    aud: "https://api.line.me/",
    // The assertion itself only has to live long enough to be exchanged (LINE: at most 30 min).
    exp: nowSeconds + 30 * 60,
    token_exp: input.tokenExpSeconds,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign("RSA-SHA256", Buffer.from(signingInput), input.privateKey);
  return `${signingInput}.${base64url(signature)}`;
}
