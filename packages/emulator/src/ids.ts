import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { monotonicFactory } from "ulid";

/** Identifiers in the shapes LINE uses, so bots' own validation accepts them. */
const hex = (bytes: number) => randomBytes(bytes).toString("hex");

export const newUserId = () => `U${hex(16)}`;
export const newGroupId = () => `C${hex(16)}`;
export const newRoomId = () => `R${hex(16)}`;
export const newReplyToken = () => hex(16);
export const newQuoteToken = () => randomBytes(48).toString("base64url");
export const newMarkAsReadToken = () => randomBytes(24).toString("base64url");
export const newRequestId = () => randomUUID();
const alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Link tokens look like LINE's example: 32 letters and digits. */
export const newLinkToken = () =>
  Array.from(randomBytes(32), (byte) => alphanumerics[byte % alphanumerics.length]).join("");
/** An account-link nonce as LINE recommends one: 128 random bits, Base64. */
export const newNonce = () => randomBytes(16).toString("base64");
/** A channel id: ten digits, as the console shows them. */
export const newChannelId = () => String(1_000_000_000 + Math.floor(Math.random() * 9_000_000_000));
/**
 * Webhook event ids are ULIDs, as LINE's are. Monotonic within a millisecond, so two events sent
 * in the same millisecond sort in the order they were sent: a lane ties equal timestamps by id.
 */
const webhookEventUlid = monotonicFactory();
export const newWebhookEventId = (now: number) => webhookEventUlid(now);

/** LINE's message ids are decimal strings of about 18 digits. */
export function newMessageId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 2 ** 47)).padStart(17, "0")}`;
}

export const isUserId = (id: string) => /^U[0-9a-f]{32}$/.test(id);
export const isGroupId = (id: string) => /^C[0-9a-f]{32}$/.test(id);
export const isRoomId = (id: string) => /^R[0-9a-f]{32}$/.test(id);
export const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
