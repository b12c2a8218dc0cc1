import { z } from "zod";

/** What the control API, the trigger CLI and tests send to make a user do something. */
export const eventTypes = [
  "text",
  "image",
  "video",
  "audio",
  "file",
  "location",
  "sticker",
  "postback",
  "follow",
  "unfollow",
  "join",
  "leave",
  "memberJoined",
  "memberLeft",
  "unsend",
  "messageEdited",
] as const;

export type EventType = (typeof eventTypes)[number];

const chatInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("user") }),
  z.object({ type: z.literal("group"), groupId: z.string().min(1) }),
  z.object({ type: z.literal("room"), roomId: z.string().min(1) }),
]);

const deliveryInputSchema = z.object({
  redeliver: z.boolean().optional(),
  duplicates: z.number().int().min(0).max(20).optional(),
  delayMs: z.number().int().min(0).optional(),
  mode: z.enum(["active", "standby"]).optional(),
});

export const eventInputSchema = z.object({
  type: z.enum(eventTypes),
  /** Which channel's bot the event goes to (its name); the default channel when absent. */
  channel: z.string().min(1).optional(),
  from: z.string().optional(),
  chat: chatInputSchema.optional(),
  text: z.string().optional(),
  emojis: z
    .array(
      z.object({
        index: z.number().int().min(0),
        length: z.number().int().min(1),
        productId: z.string(),
        emojiId: z.string(),
      }),
    )
    .optional(),
  mentionBot: z.boolean().optional(),
  quotedMessageId: z.string().optional(),
  contentBase64: z.string().optional(),
  contentType: z.string().optional(),
  fileName: z.string().optional(),
  duration: z.number().int().min(0).optional(),
  /** Video and audio: the data API answers 202 ("still preparing") to this many content requests. */
  preparingCalls: z.number().int().min(0).max(100).optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  title: z.string().optional(),
  address: z.string().optional(),
  packageId: z.string().optional(),
  stickerId: z.string().optional(),
  stickerResourceType: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  data: z.string().max(300).optional(),
  /** A postback action's displayText: LINE shows it in the chat as the user's message. */
  displayText: z.string().min(1).max(300).optional(),
  params: z.record(z.string(), z.string()).optional(),
  isUnblocked: z.boolean().optional(),
  memberIds: z.array(z.string()).optional(),
  messageId: z.string().optional(),
  delivery: deliveryInputSchema.optional(),
});

export const eventBatchInputSchema = z.object({
  channel: z.string().min(1).optional(),
  events: z
    .array(eventInputSchema.omit({ delivery: true, channel: true }))
    .min(1)
    .max(100),
  delivery: deliveryInputSchema.optional(),
});

export type EventInput = z.infer<typeof eventInputSchema>;
