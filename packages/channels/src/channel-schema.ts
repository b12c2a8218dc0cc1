import { z } from "zod";

/** How a channel's access token is obtained. */
export type TokenMode =
  | { kind: "static"; channelAccessToken: string }
  /** 15-minute tokens from channel id + secret: unlimited, cannot be revoked. */
  | { kind: "stateless"; channelId: string }
  /** 30-day tokens from channel id + secret: at most 30 active, revocable. */
  | { kind: "short-lived"; channelId: string }
  /** v2.1 tokens from a JWT signed with the channel's assertion key: up to 30 days, revocable. */
  | { kind: "v2.1"; channelId: string; kid: string; privateKeyFile: string };

/** One LINE channel the deployment serves, as the rest of linefleet sees it. */
export interface ChannelConfig {
  /** URL-safe name: the ingress serves `POST /webhook/<name>`. */
  name: string;
  channelSecret: string;
  token: TokenMode;
  /** The bot's user ID (a webhook's `destination`), when known in advance. */
  botUserId?: string | undefined;
}

/** The name the single-channel environment variables map to; also served at `POST /webhook`. */
export const DEFAULT_CHANNEL = "default";

const nonEmpty = z.string().min(1, "must be a non-empty string");

/**
 * One entry of CHANNELS_FILE. Every field is optional here so that a bad entry reports each
 * problem by field name, rather than zod's "no union member matched".
 */
export const channelEntrySchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
        "must be 1-64 letters, digits, '-' or '_' (it becomes the webhook path)",
      ),
    channelSecret: nonEmpty,
    channelAccessToken: nonEmpty.optional(),
    channelId: z
      .union([z.string().regex(/^\d+$/, "must be the channel's numeric id"), z.number().int()])
      .transform(String)
      .optional(),
    token: z.enum(["stateless", "short-lived"]).optional(),
    kid: nonEmpty.optional(),
    privateKeyFile: nonEmpty.optional(),
    botUserId: z
      .string()
      .regex(/^U[0-9a-f]{32}$/, "must be a bot user id (U followed by 32 hex digits)")
      .optional(),
  })
  .strict();

/**
 * The rules across fields: exactly one way to get a token, and what each way needs. Checked on
 * the raw entry, apart from the schema, so an entry with other bad fields still reports these.
 */
export function tokenModeProblems(entry: unknown): Array<{ field: string; message: string }> {
  if (typeof entry !== "object" || entry === null) return [];
  const has = (key: string) => (entry as Record<string, unknown>)[key] !== undefined;
  const problems: Array<{ field: string; message: string }> = [];
  const fail = (field: string, message: string) => problems.push({ field, message });
  const assertion = has("kid") || has("privateKeyFile");
  const given = [has("channelAccessToken"), has("token"), assertion].filter(Boolean).length;
  if (given === 0) {
    fail(
      "channelAccessToken",
      'is required, unless "channelId" with "token" ("stateless" or "short-lived") or "kid" with "privateKeyFile" is given',
    );
  } else if (given > 1) {
    fail(
      "channelAccessToken",
      'give one of "channelAccessToken", "token", or "kid" + "privateKeyFile", not several',
    );
  }
  if ((has("token") || assertion) && !has("channelId")) {
    fail("channelId", "is required to issue access tokens");
  }
  if (assertion && !has("kid")) fail("kid", "is required with privateKeyFile");
  if (assertion && !has("privateKeyFile")) fail("privateKeyFile", "is required with kid");
  return problems;
}

export type ChannelEntry = z.infer<typeof channelEntrySchema>;

export function toChannel(entry: ChannelEntry): ChannelConfig {
  const { name, channelSecret, botUserId } = entry;
  const channelId = entry.channelId ?? "";
  const token: TokenMode =
    entry.channelAccessToken !== undefined
      ? { kind: "static", channelAccessToken: entry.channelAccessToken }
      : entry.token !== undefined
        ? { kind: entry.token, channelId }
        : {
            kind: "v2.1",
            channelId,
            kid: entry.kid ?? "",
            privateKeyFile: entry.privateKeyFile ?? "",
          };
  return { name, channelSecret, token, ...(botUserId ? { botUserId } : {}) };
}
