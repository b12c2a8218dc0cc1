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
  "videoPlayComplete",
  "beacon",
  "accountLink",
  "membership",
  "module",
  "activated",
  "deactivated",
  "botSuspended",
  "botResumed",
  "delivery",
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
  /** videoPlayComplete: the trackingId of a video the bot sent to the user. */
  trackingId: z.string().min(1).max(100).optional(),
  /** beacon: the hardware id of LINE Beacon the user came near (10 hex digits). */
  hwid: z
    .string()
    .regex(/^[0-9a-f]{10}$/, "hwid is 10 lower-case hex digits")
    .optional(),
  beaconType: z.enum(["enter", "banner", "stay"]).optional(),
  /** beacon: the device message, up to 13 bytes as hex. */
  dm: z
    .string()
    .regex(/^([0-9a-f]{2}){1,13}$/, "dm is 1 to 13 bytes as lower-case hex")
    .optional(),
  /** accountLink: the link token the bot issued; the user's newest unused one when absent. */
  linkToken: z.string().min(1).optional(),
  /** accountLink: the nonce the bot's server generated; a random one when absent. */
  nonce: z.string().min(1).max(255).optional(),
  membershipType: z.enum(["joined", "left", "renewed"]).optional(),
  membershipId: z.number().int().min(1).optional(),
  moduleType: z.enum(["attached", "detached"]).optional(),
  /** module: the user id of the LINE Official Account's bot; the channel's bot when absent. */
  botId: z
    .string()
    .regex(/^U[0-9a-f]{32}$/, "botId is a bot's user id")
    .optional(),
  scopes: z.array(z.string().min(1)).optional(),
  /** activated: until when (epoch ms) the module channel has chat control. */
  expireAt: z.number().int().min(0).optional(),
  /** delivery: a hashed phone number or the X-Line-Delivery-Tag of the notification message. */
  deliveryData: z.string().min(1).max(100).optional(),
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
