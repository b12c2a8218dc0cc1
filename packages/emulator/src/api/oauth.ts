import { createPublicKey, verify } from "node:crypto";
import { defaults } from "../config.ts";
import { type IssuedKind, MAX_ACTIVE_TOKENS } from "../core/access-tokens.ts";
import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import { newRequestId } from "../ids.ts";
import { type ApiRequest, type ApiResponse, OPERATION_HEADER } from "./pipeline.ts";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** An OAuth-style refusal, as LINE's token endpoints answer: `{error, error_description}`. */
class OAuthError extends Error {
  readonly status: number;
  readonly body: Record<string, string>;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.body = { error, error_description: description };
  }
}

const invalidRequest = (description: string) => new OAuthError(400, "invalid_request", description);
const invalidClient = (description: string) => new OAuthError(400, "invalid_client", description);

type Form = URLSearchParams;
type Handler = (platform: Platform, form: Form) => { body: unknown; channel?: EmulatedChannel };

function field(form: Form, name: string): string {
  const value = form.get(name);
  if (!value) throw invalidRequest(`'${name}' is required`);
  return value;
}

function clientCredentials(platform: Platform, form: Form): EmulatedChannel {
  if (form.get("grant_type") !== "client_credentials") {
    throw new OAuthError(400, "unsupported_grant_type", "Invalid 'grant_type'.");
  }
  const channel = platform.channels.byChannelId(field(form, "client_id"));
  if (!channel) throw invalidClient("Invalid 'client_credentials'.");
  if (field(form, "client_secret") !== channel.channelSecret) {
    throw invalidClient("invalid client_secret");
  }
  return channel;
}

/** Checks a v2.1 client assertion (RS256 JWT signed with a registered key); returns its claims. */
function assertion(platform: Platform, form: Form) {
  if (form.get("grant_type") !== "client_credentials") {
    throw new OAuthError(400, "unsupported_grant_type", "Invalid 'grant_type'.");
  }
  if (form.get("client_assertion_type") !== JWT_BEARER) {
    throw invalidRequest("Invalid 'client_assertion_type'.");
  }
  const [header64, payload64, signature64] = field(form, "client_assertion").split(".");
  if (!header64 || !payload64 || !signature64) throw invalidRequest("Invalid 'client_assertion'.");
  let header: { alg?: string; kid?: string };
  let claims: { iss?: string; sub?: string; aud?: string; exp?: number; token_exp?: number };
  try {
    header = JSON.parse(Buffer.from(header64, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(payload64, "base64url").toString("utf8"));
  } catch {
    throw invalidRequest("Invalid 'client_assertion'.");
  }
  const channel = platform.channels.byChannelId(String(claims.iss ?? ""));
  const key = channel && header.kid ? channel.assertionKeys[header.kid] : undefined;
  if (!channel || !key || header.alg !== "RS256" || claims.sub !== claims.iss) {
    throw invalidClient("Invalid 'client_assertion': unknown channel or key id.");
  }
  const publicKey = key.trim().startsWith("{")
    ? createPublicKey({ key: JSON.parse(key), format: "jwk" })
    : createPublicKey(key);
  const signed = Buffer.from(`${header64}.${payload64}`);
  if (!verify("RSA-SHA256", signed, publicKey, Buffer.from(signature64, "base64url"))) {
    throw invalidClient("Invalid 'client_assertion': bad signature.");
  }
  if (claims.aud !== "https://api.line.me/") throw invalidRequest("Invalid 'aud'.");
  const nowSeconds = platform.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp < nowSeconds || claims.exp > nowSeconds + 1800) {
    throw invalidRequest("Invalid 'exp': the assertion must expire within 30 minutes.");
  }
  const tokenExp = claims.token_exp ?? defaults.maxTokenLifetimeMs / 1000;
  if (tokenExp <= 0 || tokenExp * 1000 > defaults.maxTokenLifetimeMs) {
    throw invalidRequest("Invalid 'token_exp': at most 30 days.");
  }
  return { channel, keyId: header.kid ?? "", lifetimeMs: tokenExp * 1000 };
}

/** Issues a token; lifetimes are whole seconds, as `expires_in` says, capped by the test knob. */
function issue(
  platform: Platform,
  channel: EmulatedChannel,
  kind: IssuedKind,
  lifetimeMs: number,
  keyId?: string,
) {
  const capped = Math.min(lifetimeMs, platform.config.tokenLifetimeMs ?? lifetimeMs);
  const expiresIn = Math.max(1, Math.round(capped / 1000));
  const issuedAt = platform.now();
  const token = platform.accessTokens.issue({
    channel,
    kind,
    issuedAt,
    expiresAt: issuedAt + expiresIn * 1000,
    ...(keyId ? { keyId } : {}),
  });
  return {
    access_token: token.accessToken,
    expires_in: expiresIn,
    token_type: "Bearer",
    ...(keyId ? { key_id: keyId } : {}),
  };
}

function verified(platform: Platform, accessToken: string) {
  const token = platform.accessTokens.find(accessToken);
  const staticOwner = platform.channels.byStaticToken(accessToken);
  if (staticOwner)
    return { client_id: staticOwner.channelId, expires_in: 0, scope: "profile chat_message.write" };
  if (!token) throw invalidRequest("access token does not exist");
  const left = Math.floor((token.expiresAt - platform.now()) / 1000);
  if (left <= 0) throw invalidRequest("The access token expired");
  return {
    client_id: token.channel.channelId,
    expires_in: left,
    scope: "profile chat_message.write",
  };
}

const routes: Record<string, Handler> = {
  // Stateless: by client id + secret, or by a v2.1 assertion; unlimited, never revocable.
  "POST /oauth2/v3/token": (platform, form) => {
    const channel = form.has("client_assertion")
      ? assertion(platform, form).channel
      : clientCredentials(platform, form);
    return {
      channel,
      body: issue(platform, channel, "stateless", defaults.statelessTokenLifetimeMs),
    };
  },
  // Short-lived: 30 days; past 30 active tokens, the oldest is revoked.
  "POST /v2/oauth/accessToken": (platform, form) => {
    const channel = clientCredentials(platform, form);
    const body = issue(platform, channel, "short-lived", defaults.shortLivedTokenLifetimeMs);
    const active = platform.accessTokens.active(channel, "short-lived", platform.now());
    for (const old of active.slice(0, Math.max(0, active.length - MAX_ACTIVE_TOKENS))) {
      platform.accessTokens.revoke(old.accessToken);
    }
    return { channel, body };
  },
  "POST /v2/oauth/verify": (platform, form) => ({
    body: verified(platform, field(form, "access_token")),
  }),
  "POST /v2/oauth/revoke": (platform, form) => {
    const token = platform.accessTokens.find(field(form, "access_token"));
    if (token?.kind === "stateless") throw invalidRequest("stateless tokens cannot be revoked");
    if (token) platform.accessTokens.revoke(token.accessToken);
    return { body: {}, ...(token ? { channel: token.channel } : {}) };
  },
  // v2.1: by a signed assertion; at most 30 active, then refused.
  "POST /oauth2/v2.1/token": (platform, form) => {
    const { channel, keyId, lifetimeMs } = assertion(platform, form);
    if (platform.accessTokens.active(channel, "v2.1", platform.now()).length >= MAX_ACTIVE_TOKENS) {
      throw new OAuthError(
        400,
        "invalid_request",
        "The maximum number of access tokens has already been issued",
      );
    }
    return { channel, body: issue(platform, channel, "v2.1", lifetimeMs, keyId) };
  },
  // The key ids of the channel's active v2.1 tokens, for an assertion of that channel.
  "GET /oauth2/v2.1/tokens/kid": (platform, form) => {
    const withGrant = new URLSearchParams(form);
    withGrant.set("grant_type", "client_credentials");
    const { channel } = assertion(platform, withGrant);
    const active = platform.accessTokens.active(channel, "v2.1", platform.now());
    return { channel, body: { kids: [...new Set(active.map((token) => token.keyId ?? ""))] } };
  },
  "GET /oauth2/v2.1/verify": (platform, form) => ({
    body: verified(platform, field(form, "access_token")),
  }),
  "POST /oauth2/v2.1/revoke": (platform, form) => {
    const channel = clientCredentials(
      platform,
      new URLSearchParams({ ...Object.fromEntries(form), grant_type: "client_credentials" }),
    );
    const token = platform.accessTokens.find(field(form, "access_token"));
    if (token && token.channel === channel && token.kind === "v2.1") {
      platform.accessTokens.revoke(token.accessToken);
    }
    return { channel, body: {} };
  },
};

/** `METHOD /path` of every token endpoint served here, for the route table. */
export const oauthOperations: ReadonlySet<string> = new Set(Object.keys(routes));

/** LINE's channel access token endpoints (`/oauth2/…`, `/v2/oauth/…`): form bodies, no bearer. */
export function createOAuthHandler(platform: Platform) {
  return async function handleOAuthRequest(
    request: ApiRequest,
    operationId: string,
  ): Promise<ApiResponse> {
    const requestId = newRequestId();
    const method = request.method.toUpperCase();
    const form =
      method === "GET"
        ? request.query
        : new URLSearchParams(request.rawBody?.toString("utf8") ?? "");
    let status = 200;
    let body: unknown;
    let channel: EmulatedChannel | undefined;
    let faultId: string | undefined;
    const fault = platform.faults.take(method, request.path, request.path);
    const handler = routes[`${method} ${request.path}`];
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status !== undefined) {
      faultId = fault.id;
      status = fault.status;
      body = fault.body ?? { error: "server_error", error_description: "Injected fault" };
    } else if (!handler) {
      status = 404;
      body = { message: "Not found" };
    } else {
      try {
        const result = handler(platform, form);
        body = result.body;
        channel = result.channel;
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        status = error.status;
        body = error.body;
      }
    }
    platform.activity.addApiCall({
      id: requestId,
      method,
      path: request.path,
      operation: operationId,
      status,
      requestId,
      ...(channel ? { channel: channel.name } : {}),
      // Kept whole for in-process tests; the control API redacts secrets and tokens when it shows it.
      body: Object.fromEntries(form),
      response: body,
      at: platform.now(),
      ...(faultId ? { fault: faultId } : {}),
    });
    return {
      status,
      headers: { "x-line-request-id": requestId, [OPERATION_HEADER]: operationId },
      body,
      contentType: "application/json",
    };
  };
}

export type OAuthHandler = ReturnType<typeof createOAuthHandler>;
