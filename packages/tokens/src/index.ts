export type { TokenSource } from "@linefleet/line-client";
export { type AssertionInput, signAssertion } from "./assertion.ts";
export { createTokenSource, type TokenSourceOptions } from "./create-token-source.ts";
export {
  createTokenIssuer,
  type IssuedToken,
  type IssuerOptions,
  type TokenIssuer,
} from "./issuer.ts";
export {
  createTokenManager,
  type TokenManagerOptions,
  TokenUnavailableError,
} from "./token-manager.ts";
