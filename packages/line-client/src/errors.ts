import { HTTPFetchError } from "@line/bot-sdk";

/** Stable codes for everything that can go wrong talking to LINE. Branch on these, not on text. */
type LineErrorCode =
  | "invalid_reply_token"
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "gone"
  | "retry_key_accepted"
  | "payload_too_large"
  | "rate_limited"
  | "monthly_limit"
  | "server_error"
  | "timeout"
  | "network"
  | "unexpected";

/**
 * Whether LINE may have acted on a request that failed: after a timeout, a dropped connection
 * or a 5xx the message may have been delivered, and re-sending it risks a duplicate.
 */
type SendOutcome = "not_sent" | "unknown";

export class LineApiError extends Error {
  readonly code: LineErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly outcome: SendOutcome;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: LineErrorCode,
    message: string,
    details: {
      status?: number;
      retryable: boolean;
      outcome: SendOutcome;
      retryAfterMs?: number;
      requestId?: string;
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
    this.name = "LineApiError";
    this.code = code;
    this.status = details.status;
    this.retryable = details.retryable;
    this.outcome = details.outcome;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
  }
}

/** Maps what the SDK throws (HTTPFetchError, fetch's TypeError, our timeout) to a LineApiError. */
export function toLineApiError(error: unknown): LineApiError {
  if (error instanceof LineApiError) return error;
  if (error instanceof HTTPFetchError) return fromHttpError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new LineApiError("network", `LINE API unreachable: ${message}`, {
    retryable: true,
    outcome: "unknown",
    cause: error,
  });
}

function fromHttpError(error: HTTPFetchError): LineApiError {
  const { status } = error;
  const requestId = error.headers.get("x-line-request-id") ?? undefined;
  const lineMessage = readMessage(error.body);
  const text = `LINE API ${status}: ${lineMessage ?? error.statusText}`;
  const base = { status, requestId, cause: error };
  if (status === 429) {
    const monthly = /monthly limit/i.test(lineMessage ?? "");
    return new LineApiError(monthly ? "monthly_limit" : "rate_limited", text, {
      ...base,
      retryable: !monthly,
      outcome: "not_sent",
      retryAfterMs: parseRetryAfter(error.headers.get("retry-after")),
    });
  }
  if (status >= 500) {
    return new LineApiError("server_error", text, { ...base, retryable: true, outcome: "unknown" });
  }
  const code: LineErrorCode =
    status === 400 && /invalid reply token/i.test(lineMessage ?? "")
      ? "invalid_reply_token"
      : (({
          400: "bad_request",
          401: "unauthorized",
          403: "forbidden",
          404: "not_found",
          409: "retry_key_accepted",
          410: "gone",
          413: "payload_too_large",
        }[status] ?? "unexpected") as LineErrorCode);
  return new LineApiError(code, text, { ...base, retryable: false, outcome: "not_sent" });
}

function readMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After is seconds or an HTTP date; LINE does not document it, so honour either. */
function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
