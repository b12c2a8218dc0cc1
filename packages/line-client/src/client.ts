import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import type { Dispatcher } from "undici";
import { createDirectSender } from "./direct-send.ts";
import { LineApiError, toLineApiError } from "./errors.ts";
import { staticTokenSource, type TokenSource } from "./token-source.ts";

export type Message = messagingApi.Message;

/** LINE's receipt for one message it accepted: its id, and the token to quote it by. */
interface MessageReceipt {
  id: string;
  quoteToken?: string;
}

interface SendResult {
  sentMessages: MessageReceipt[];
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
  /** `options.scheduledFor`: a push of scheduled work, due then (epoch ms; the emulator shows it). */
  push(
    to: string,
    messages: Message[],
    retryKey: string,
    options?: { scheduledFor?: number | undefined },
  ): Promise<SendResult>;
  /** The SDK's full client, for APIs linefleet does not wrap yet. */
  readonly api: messagingApi.MessagingApiClient;
  readonly blob: messagingApi.MessagingApiBlobClient;
}

export type LineClientOptions = (
  | { channelAccessToken: string; tokens?: undefined }
  | { tokens: TokenSource; channelAccessToken?: undefined }
) & {
  apiBaseUrl?: string;
  dataApiBaseUrl?: string;
  /** The SDK has no timeout of its own; a call that takes longer fails with an unknown outcome. */
  timeoutMs?: number;
  /**
   * The pool reply and push go through (see `createLineDispatcher`); by default the global
   * dispatcher, the one the SDK's `fetch` uses for every other call.
   */
  dispatcher?: Dispatcher;
};

interface SdkClients {
  api: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
}

export function createLineClient(options: LineClientOptions): LineClient {
  const tokens: TokenSource = options.tokens ?? staticTokenSource(options.channelAccessToken);
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Reply and push are the hot path: sent through undici directly, as the SDK would send them.
  const send = createDirectSender(options);
  // The SDK's clients take a fixed token: one pair per token, rebuilt when the token changes.
  let sdk: (SdkClients & { token: string }) | undefined;
  const clientsFor = (token: string): SdkClients => {
    if (sdk?.token !== token) {
      sdk = {
        token,
        api: new messagingApi.MessagingApiClient({
          channelAccessToken: token,
          ...(options.apiBaseUrl ? { baseURL: options.apiBaseUrl } : {}),
        }),
        blob: new messagingApi.MessagingApiBlobClient({
          channelAccessToken: token,
          ...(options.dataApiBaseUrl ? { baseURL: options.dataApiBaseUrl } : {}),
        }),
      };
    }
    return sdk;
  };
  const currentClients = () => {
    const token = tokens.current();
    if (token === undefined) {
      throw new LineApiError(
        "unauthorized",
        "no access token yet: call LINE through the client first",
        {
          retryable: true,
          outcome: "not_sent",
        },
      );
    }
    return clientsFor(token);
  };

  /**
   * Runs a call with the current token. A 401 means LINE did nothing, so with a renewable token
   * the token is invalidated (for the whole fleet) and the call retried once with a new one.
   */
  async function withToken<T>(sendWith: (token: string) => Promise<T>): Promise<T> {
    const token = await tokens.get();
    try {
      return await call(() => sendWith(token), timeoutMs);
    } catch (error) {
      if (!(error instanceof LineApiError && error.code === "unauthorized" && tokens.renewable)) {
        throw error;
      }
      await tokens.invalidate(token);
      const renewed = await tokens.get();
      return call(() => sendWith(renewed), timeoutMs);
    }
  }

  return {
    get api() {
      return currentClients().api;
    },
    get blob() {
      return currentClients().blob;
    },
    async reply(replyToken, messages) {
      // No retry key here: LINE rejects X-Line-Retry-Key on reply with a 400.
      const response = await withToken((token) => send.reply({ replyToken, messages }, token));
      return {
        sentMessages: response.body.sentMessages ?? [],
        requestId: response.requestId,
        alreadyAccepted: false,
      };
    },
    async push(to, messages, retryKey, options) {
      try {
        const response = await withToken((token) =>
          send.push({ to, messages }, retryKey, token, options?.scheduledFor),
        );
        return {
          sentMessages: response.body.sentMessages ?? [],
          requestId: response.requestId,
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
  let sentMessages: MessageReceipt[] = [];
  try {
    sentMessages =
      (JSON.parse(cause.body) as { sentMessages?: MessageReceipt[] }).sentMessages ?? [];
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
