import { HTTPFetchError, type messagingApi } from "@line/bot-sdk";
import sdkPackage from "@line/bot-sdk/package.json" with { type: "json" };
import { type Dispatcher, getGlobalDispatcher } from "undici";

/**
 * The header a push of scheduled work carries: the time (epoch ms) it was scheduled for. Not
 * LINE's: only linefleet's emulator reads it.
 */
const SCHEDULED_FOR_HEADER = "x-linefleet-scheduled-for";

/** The User-Agent the SDK sends (its `USER_AGENT`, which it does not export). */
const userAgent = `@line/bot-sdk/${sdkPackage.version}`;

interface Sent<T> {
  body: T;
  requestId: string | undefined;
}

interface DirectSenderOptions {
  apiBaseUrl?: string | undefined;
  /** Defaults to the global dispatcher at the time of each call, as the SDK's `fetch` uses. */
  dispatcher?: Dispatcher;
}

/**
 * Reply and push sent as `@line/bot-sdk`'s MessagingApiClient sends them — same URL, headers and
 * body, same `HTTPFetchError` on a non-2xx — but through undici's `request` instead of the global
 * `fetch`. WHY: on the hot path the SDK's `fetch` (WHATWG Request/Response/Headers objects and
 * streams per call) cost about 2.5× the CPU of the request itself (bench/line-call.ts); every
 * other API stays on the SDK.
 */
export function createDirectSender(options: DirectSenderOptions) {
  // The SDK resolves its paths with `new URL(path, baseURL)`: an absolute path keeps only the origin.
  const origin = new URL(options.apiBaseUrl || "https://api.line.me").origin;
  // The SDK's headers, in its order: Content-Type, then its lower-cased defaults.
  const headers = (accessToken: string): Record<string, string> => ({
    "Content-Type": "application/json",
    "user-agent": userAgent,
    authorization: `Bearer ${accessToken}`,
  });
  const pushHeaders = (
    retryKey: string | undefined,
    accessToken: string,
    scheduledFor: number | undefined,
  ) => ({
    ...headers(accessToken),
    ...(retryKey != null ? { "X-Line-Retry-Key": retryKey } : {}),
    // linefleet's own, for its emulator's chat UI (a scheduled message's badge); LINE ignores it.
    ...(scheduledFor !== undefined ? { [SCHEDULED_FOR_HEADER]: String(scheduledFor) } : {}),
  });

  async function post<T>(path: string, body: unknown, sent: Record<string, string>) {
    const dispatcher = options.dispatcher ?? getGlobalDispatcher();
    const response = await dispatcher.request({
      origin,
      path,
      method: "POST",
      headers: sent,
      body: JSON.stringify(body),
    });
    // Always read the body to its end: an unread body keeps the keep-alive socket from reuse.
    const text = await response.body.text();
    const { statusCode, statusText } = response;
    if (statusCode < 200 || statusCode > 299) {
      throw new HTTPFetchError(`${statusCode} - ${statusText}`, {
        status: statusCode,
        statusText,
        headers: toHeaders(response.headers),
        body: text,
      });
    }
    const requestId = response.headers["x-line-request-id"];
    return {
      body: (text ? JSON.parse(text) : null) as T,
      requestId: typeof requestId === "string" ? requestId : undefined,
    } satisfies Sent<T>;
  }

  return {
    /** `MessagingApiClient.replyMessageWithHttpInfo`: never a retry key (LINE answers it 400). */
    reply: (request: messagingApi.ReplyMessageRequest, accessToken: string) =>
      post<messagingApi.ReplyMessageResponse>(
        "/v2/bot/message/reply",
        request,
        headers(accessToken),
      ),
    /** `MessagingApiClient.pushMessageWithHttpInfo`. */
    push: (
      request: messagingApi.PushMessageRequest,
      retryKey: string | undefined,
      accessToken: string,
      scheduledFor?: number,
    ) =>
      post<messagingApi.PushMessageResponse>(
        "/v2/bot/message/push",
        request,
        pushHeaders(retryKey, accessToken, scheduledFor),
      ),
  };
}

/** The fetch `Headers` the SDK's errors carry, so their readers (`.get(name)`) work unchanged. */
function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}
