import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { LineApiError, toLineApiError } from "./errors.ts";

export type Message = messagingApi.Message;

export interface SentMessage {
  id: string;
  quoteToken?: string;
}

export interface SendResult {
  sentMessages: SentMessage[];
  /** LINE's `x-line-request-id` for this call. */
  requestId: string | undefined;
  /** On a 409, LINE's `x-line-accepted-request-id`: the earlier request that was accepted. */
  acceptedRequestId?: string | undefined;
  /** True when LINE answered 409: the retry key was accepted before, nothing new was sent. */
  alreadyAccepted: boolean;
}

/** The narrow slice of LINE's API that linefleet's runtime uses. */
export interface LineClient {
  reply(replyToken: string, messages: Message[]): Promise<SendResult>;
  push(to: string, messages: Message[], retryKey: string): Promise<SendResult>;
  /** The SDK's full client, for APIs linefleet does not wrap yet. */
  readonly api: messagingApi.MessagingApiClient;
  readonly blob: messagingApi.MessagingApiBlobClient;
}

export interface LineClientOptions {
  channelAccessToken: string;
  apiBaseUrl?: string;
  dataApiBaseUrl?: string;
  /** The SDK has no timeout of its own; a call that takes longer fails with an unknown outcome. */
  timeoutMs?: number;
}

export function createLineClient(options: LineClientOptions): LineClient {
  const api = new messagingApi.MessagingApiClient({
    channelAccessToken: options.channelAccessToken,
    ...(options.apiBaseUrl ? { baseURL: options.apiBaseUrl } : {}),
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: options.channelAccessToken,
    ...(options.dataApiBaseUrl ? { baseURL: options.dataApiBaseUrl } : {}),
  });
  const timeoutMs = options.timeoutMs ?? 10_000;

  return {
    api,
    blob,
    async reply(replyToken, messages) {
      // No retry key here: LINE rejects X-Line-Retry-Key on reply with a 400.
      const response = await call(
        () => api.replyMessageWithHttpInfo({ replyToken, messages }),
        timeoutMs,
      );
      return {
        sentMessages: response.body.sentMessages ?? [],
        requestId: response.httpResponse.headers.get("x-line-request-id") ?? undefined,
        alreadyAccepted: false,
      };
    },
    async push(to, messages, retryKey) {
      try {
        const response = await call(
          () => api.pushMessageWithHttpInfo({ to, messages }, retryKey),
          timeoutMs,
        );
        return {
          sentMessages: response.body.sentMessages ?? [],
          requestId: response.httpResponse.headers.get("x-line-request-id") ?? undefined,
          alreadyAccepted: false,
        };
      } catch (error) {
        const accepted = acceptedBefore(error);
        if (accepted) return accepted;
        throw error;
      }
    },
  };
}

/** A 409 on push means LINE accepted this retry key earlier: the messages were delivered then. */
function acceptedBefore(error: unknown): SendResult | undefined {
  const cause = error instanceof LineApiError ? error.cause : undefined;
  if (!(cause instanceof HTTPFetchError) || cause.status !== 409) return undefined;
  let sentMessages: SentMessage[] = [];
  try {
    sentMessages = (JSON.parse(cause.body) as { sentMessages?: SentMessage[] }).sentMessages ?? [];
  } catch {
    // The body is informational only; the 409 itself is what matters.
  }
  return {
    sentMessages,
    requestId: cause.headers.get("x-line-request-id") ?? undefined,
    acceptedRequestId: cause.headers.get("x-line-accepted-request-id") ?? undefined,
    alreadyAccepted: true,
  };
}

async function call<T>(send: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const request = send();
  request.catch(() => {}); // after a timeout its rejection has nobody left to tell
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LineApiError("timeout", `LINE API did not answer within ${timeoutMs} ms`, {
            retryable: true,
            outcome: "unknown",
          }),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([request, timeout]);
  } catch (error) {
    throw toLineApiError(error);
  } finally {
    clearTimeout(timer);
  }
}
