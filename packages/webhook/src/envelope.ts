import { z } from "zod";

/**
 * The webhook body, validated leniently: LINE adds properties and event types without notice,
 * so only what linefleet itself relies on is checked and everything else passes through untouched.
 */
export const eventSourceSchema = z.looseObject({
  type: z.string(),
  userId: z.string().optional(),
  groupId: z.string().optional(),
  roomId: z.string().optional(),
});

export const webhookEventSchema = z.looseObject({
  type: z.string().min(1),
  webhookEventId: z.string().min(1),
  timestamp: z.number(),
  mode: z.string().optional(),
  source: eventSourceSchema.optional(),
  replyToken: z.string().optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
});

export const webhookEnvelopeSchema = z.looseObject({
  destination: z.string(),
  events: z.array(webhookEventSchema),
});

export type EventSource = z.infer<typeof eventSourceSchema>;
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

export type ParsedEnvelope =
  | { ok: true; envelope: WebhookEnvelope }
  | { ok: false; reason: "invalid_json" | "invalid_envelope"; detail: string };

/** Parses a verified raw body once. */
export function parseEnvelope(rawBody: Uint8Array | string): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === "string" ? rawBody : utf8(rawBody));
  } catch (error) {
    return { ok: false, reason: "invalid_json", detail: (error as Error).message };
  }
  const result = webhookEnvelopeSchema.safeParse(json);
  if (!result.success) {
    return { ok: false, reason: "invalid_envelope", detail: z.prettifyError(result.error) };
  }
  return { ok: true, envelope: result.data };
}

/** Decodes the bytes in place: `Buffer.from(uint8Array)` would copy the whole body first. */
function utf8(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString("utf8");
}
