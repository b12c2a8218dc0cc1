import { signBody } from "@linefleet/webhook";
import type { DeliveryAttempt } from "../core/activity.ts";

export interface WebhookAttemptResult {
  status: number;
  durationMs: number;
  error?: DeliveryAttempt["error"];
  /** Human-readable cause for the webhook test API's `detail`. */
  detail: string;
}

/**
 * One webhook request as LINE sends it: the exact bytes signed with the channel secret, LINE's
 * headers, and a hard deadline after which the attempt counts as a timeout.
 */
export async function sendWebhook(input: {
  url: string;
  body: string;
  channelSecret: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<WebhookAttemptResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(input.url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "x-line-signature": signBody(input.body, input.channelSecret),
        "user-agent": "LineBotWebhook/2.0",
      },
      body: input.body,
      signal,
      redirect: "manual",
    });
    // The answer's body is irrelevant to LINE, but reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return {
      status: response.status,
      durationMs: elapsed(),
      ...(ok ? {} : { error: "error_status_code" as const }),
      detail: String(response.status),
    };
  } catch (error) {
    if (timeout.aborted) {
      return {
        status: 0,
        durationMs: elapsed(),
        error: "request_timeout",
        detail: "Request timeout",
      };
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    // LINE reports a certificate it cannot verify as a failed connection (its test API's
    // detail reads "TLS handshake failure: <url>"), as for a leaf served without its intermediate.
    if (cause && /CERT|SSL|TLS|UNABLE_TO_VERIFY|SELF_SIGNED/.test(cause)) {
      return {
        status: 0,
        durationMs: elapsed(),
        error: "could_not_connect",
        detail: `TLS handshake failure: ${input.url}`,
      };
    }
    const refused = cause === "ECONNREFUSED" || cause === "ENOTFOUND" || cause === "ECONNRESET";
    return {
      status: 0,
      durationMs: elapsed(),
      error: refused ? "could_not_connect" : "unclassified",
      detail: refused ? "Connection failed" : String((error as Error).message),
    };
  }
}
