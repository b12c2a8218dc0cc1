import type { ErrorCode } from "@linefleet/errors";

/** A bot user ID as LINE writes one (a webhook's `destination`). */
const BOT_USER_ID = /^U[0-9a-f]{32}$/;

export interface BotInfoOptions {
  /** LINE's API (LINE_API_BASE_URL). */
  apiBaseUrl: string;
  /** The channel's access token; undefined when the ingress has none for it. */
  accessToken(): Promise<string | undefined>;
  /** A lookup slower than this fails (LINE gives a webhook 2 s; the ingress must answer first). */
  timeoutMs?: number;
}

/** Why a bot user ID could not be looked up. */
export class BotInfoError extends Error {
  readonly code = "LF_BOT_INFO_UNAVAILABLE" satisfies ErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BotInfoError";
  }
}

/**
 * Asks LINE which bot a channel's access token belongs to (`GET /v2/bot/info`, its `userId`): the
 * one authority on a channel's bot user ID. One plain GET: the ingress carries no LINE client, and
 * the SDK's would add nothing but a dependency here. Rejects with a BotInfoError.
 */
export async function lookUpBotUserId(options: BotInfoOptions): Promise<string> {
  const token = await options.accessToken();
  if (!token) throw new BotInfoError("no access token for this channel");
  let response: Response;
  try {
    response = await fetch(new URL("/v2/bot/info", options.apiBaseUrl), {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
    });
  } catch (error) {
    throw new BotInfoError(`LINE's bot info is unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BotInfoError(`LINE answered ${response.status} to GET /v2/bot/info`);
  }
  const body = (await response.json().catch(() => undefined)) as { userId?: unknown } | undefined;
  const userId = body?.userId;
  if (typeof userId !== "string" || !BOT_USER_ID.test(userId)) {
    throw new BotInfoError("LINE's bot info carries no bot user ID");
  }
  return userId;
}
