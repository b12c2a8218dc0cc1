import type { CheckResult } from "../check.ts";
import { field, request } from "./http.ts";

export interface LineApiOptions {
  apiBaseUrl: string;
  accessToken: string;
  timeoutMs: number;
}

const tokenHint =
  "issue a channel access token in the LINE Developers Console (Messaging API tab) and set LINE_CHANNEL_ACCESS_TOKEN";

function call(
  options: LineApiOptions,
  path: string,
  init: { method?: string; body?: string } = {},
) {
  return request(new URL(path, options.apiBaseUrl).href, {
    ...init,
    headers: {
      authorization: `Bearer ${options.accessToken}`,
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    timeoutMs: options.timeoutMs,
  });
}

function refused(name: string, status: number, body: unknown): CheckResult {
  const message = field(body, "message");
  return {
    name,
    status: "fail",
    detail: `LINE answered ${status}${typeof message === "string" ? ` (${message})` : ""}`,
    hint: status === 401 ? tokenHint : "see LINE's status page, then try again",
  };
}

/** The access token works (GET /v2/bot/info) and belongs to the bot this deployment expects. */
export async function checkBotInfo(
  options: LineApiOptions & { expectedBotUserId?: string },
): Promise<{ result: CheckResult; botUserId?: string }> {
  const name = "access token (bot info)";
  const { status, body } = await call(options, "/v2/bot/info");
  if (status !== 200) return { result: refused(name, status, body) };
  const userId = String(field(body, "userId"));
  const who = `bot '${String(field(body, "displayName"))}' (${String(field(body, "basicId"))}), user id ${userId}`;
  if (options.expectedBotUserId && options.expectedBotUserId !== userId) {
    return {
      botUserId: userId,
      result: {
        name,
        status: "fail",
        detail: `the token belongs to ${who}, not to LINE_BOT_USER_ID ${options.expectedBotUserId}`,
        hint: "use this channel's access token, or correct LINE_BOT_USER_ID (the webhook's destination)",
      },
    };
  }
  return { botUserId: userId, result: { name, status: "ok", detail: `valid: ${who}` } };
}

/** The webhook URL set at LINE (GET /v2/bot/channel/webhook/endpoint). */
export async function checkWebhookEndpoint(
  options: LineApiOptions,
): Promise<{ result: CheckResult; endpoint?: string }> {
  const name = "webhook URL at LINE";
  const { status, body } = await call(options, "/v2/bot/channel/webhook/endpoint");
  if (status === 404) {
    return {
      result: {
        name,
        status: "fail",
        detail: "no webhook URL is set for this channel",
        hint: "set https://<your host>/webhook in the Console (Messaging API tab → Webhook URL)",
      },
    };
  }
  if (status !== 200) return { result: refused(name, status, body) };
  const endpoint = String(field(body, "endpoint"));
  if (field(body, "active") !== true) {
    return {
      endpoint,
      result: {
        name,
        status: "fail",
        detail: `${endpoint} is set, but "Use webhook" is off: LINE sends nothing`,
        hint: 'turn on "Use webhook" in the Console (Messaging API tab)',
      },
    };
  }
  return { endpoint, result: { name, status: "ok", detail: `${endpoint} (active)` } };
}

const testHints: Record<string, string> = {
  COULD_NOT_CONNECT:
    "LINE cannot reach or handshake with the URL: check DNS, the firewall and the TLS lines below",
  REQUEST_TIMEOUT: "the endpoint must answer within 2 s: is the ingress behind it running?",
  UNCLASSIFIED: "see the detail; the TLS and ingress lines below narrow it down",
};

/** LINE's own test of the endpoint (POST /v2/bot/channel/webhook/test): LINE's view of it. */
export async function checkLineWebhookTest(
  options: LineApiOptions & { endpoint?: string },
): Promise<CheckResult> {
  const name = "LINE's webhook test";
  const { status, body } = await call(options, "/v2/bot/channel/webhook/test", {
    method: "POST",
    body: JSON.stringify(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  if (status === 429) {
    return {
      name,
      status: "warn",
      detail: "LINE allows 60 webhook tests an hour, and they are used up",
      hint: "run the doctor again later",
    };
  }
  if (status !== 200) return refused(name, status, body);
  const statusCode = field(body, "statusCode");
  const reason = String(field(body, "reason"));
  const detail = `statusCode ${String(statusCode)}, reason ${reason}, detail ${JSON.stringify(field(body, "detail"))}`;
  if (field(body, "success") === true) return { name, status: "ok", detail };
  const hint =
    reason === "ERROR_STATUS_CODE" && statusCode === 401
      ? "the ingress refused LINE's signature: set its LINE_CHANNEL_SECRET to this channel's secret"
      : reason === "ERROR_STATUS_CODE"
        ? "the endpoint must answer 200: see the ingress line below and the ingress's log"
        : (testHints[reason] ?? "see the detail");
  return { name, status: "fail", detail, hint };
}
