import { z } from "zod";

const userId = z
  .string()
  .regex(/^U[0-9a-f]{32}$/, "expected a LINE user ID (U followed by 32 hex digits)");

/** Who a campaign reaches: exactly one of these, by its key. */
const audiences = {
  userIds: z.strictObject({ userIds: z.array(userId).min(1) }),
  /** A file of user IDs, one a line (blank lines and lines starting with # skipped). */
  userIdsFile: z.strictObject({ userIdsFile: z.string().min(1) }),
  /** Every follower of the bot, as GET /v2/bot/followers/ids pages them when the campaign starts. */
  followers: z.strictObject({ followers: z.literal(true) }),
  /** LINE picks the recipients: `recipient`, `filter` and `limit` as LINE's narrowcast defines them. */
  narrowcast: z.strictObject({
    narrowcast: z.strictObject({
      recipient: z.record(z.string(), z.unknown()).optional(),
      filter: z.record(z.string(), z.unknown()).optional(),
      /** LINE's cap: at most `max` recipients, or only as many as the quota has left. */
      limit: z
        .strictObject({
          max: z.number().int().min(1).optional(),
          upToRemainingQuota: z.boolean().optional(),
        })
        .optional(),
    }),
  }),
  broadcast: z.strictObject({ broadcast: z.literal(true) }),
};

type Audience = z.infer<(typeof audiences)[keyof typeof audiences]>;

const oneOf = `expected exactly one of ${Object.keys(audiences).join(", ")}`;

/**
 * The audience, checked by the one schema its key names, so a mistake is told as such (a bad
 * user ID at `audience.userIds[3]`) rather than as "matches none of five shapes".
 */
const audienceSchema = z.unknown().transform((value, context): Audience => {
  const keys = typeof value === "object" && value !== null ? Object.keys(value) : [];
  const schema = keys.length === 1 ? audiences[keys[0] as keyof typeof audiences] : undefined;
  if (!schema) {
    context.addIssue({ code: "custom", message: `${oneOf}; got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    context.addIssue({ code: "custom", message: issue.message, path: issue.path });
  }
  return z.NEVER;
});

/** A campaign as its file (and the API) states it. */
export const campaignSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** The channel (CHANNELS_FILE's `name`) to send from; the only channel when there is one. */
  channel: z.string().min(1).optional(),
  audience: audienceSchema,
  /** LINE's message objects, 1 to 5, sent to every recipient (LINE validates them). */
  messages: z.array(z.record(z.string(), z.unknown())).min(1).max(5),
  notificationDisabled: z.boolean().optional(),
});

export type CampaignDefinition = z.infer<typeof campaignSchema>;

/** How a campaign is sent: multicast chunks to a fixed list, or one narrowcast or broadcast. */
export type CampaignKind = "multicast" | "narrowcast" | "broadcast";

export function kindOf(audience: Audience): CampaignKind {
  if ("narrowcast" in audience) return "narrowcast";
  if ("broadcast" in audience) return "broadcast";
  return "multicast";
}

/** Whether a string is a LINE user ID (for the lines of a userIdsFile and an async iterable's IDs). */
export const isUserId = (value: string) => userId.safeParse(value).success;
