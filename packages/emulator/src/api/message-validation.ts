import type { ErrorDetail } from "../errors.ts";

/** LINE's message limits (a practical subset): what a real channel would refuse with a 400. */
const messageTypes = [
  "text",
  "textV2",
  "sticker",
  "image",
  "video",
  "audio",
  "location",
  "imagemap",
  "template",
  "flex",
  "coupon",
] as const;

type Check = (message: Record<string, unknown>, at: string, out: ErrorDetail[]) => void;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function requireString(
  message: Record<string, unknown>,
  key: string,
  at: string,
  out: ErrorDetail[],
  max?: number,
  min = 0,
) {
  const value = message[key];
  if (typeof value !== "string") {
    out.push({ message: "Must not be null", property: `${at}.${key}` });
    return;
  }
  // String length in JS is UTF-16 code units, which is how LINE counts.
  if ((max !== undefined && value.length > max) || value.length < min) {
    out.push({
      message: `Length must be between ${min} and ${max ?? "∞"}`,
      property: `${at}.${key}`,
    });
  }
}

function requireHttpsUrl(
  message: Record<string, unknown>,
  key: string,
  at: string,
  out: ErrorDetail[],
) {
  const value = message[key];
  if (typeof value !== "string") {
    out.push({ message: "Must not be null", property: `${at}.${key}` });
  } else if (!value.startsWith("https://") || value.length > 2000) {
    out.push({ message: "Must be a valid HTTPS URL", property: `${at}.${key}` });
  }
}

function requireNumber(
  message: Record<string, unknown>,
  key: string,
  at: string,
  out: ErrorDetail[],
) {
  if (typeof message[key] !== "number") {
    out.push({ message: "Must not be null", property: `${at}.${key}` });
  }
}

function requireObject(
  message: Record<string, unknown>,
  key: string,
  at: string,
  out: ErrorDetail[],
) {
  if (!isObject(message[key])) out.push({ message: "Must not be null", property: `${at}.${key}` });
}

const checks: Record<(typeof messageTypes)[number], Check> = {
  text: (m, at, out) => {
    requireString(m, "text", at, out, 5000, 1);
    if (Array.isArray(m.emojis) && m.emojis.length > 20) {
      out.push({ message: "Size must be between 0 and 20", property: `${at}.emojis` });
    }
  },
  textV2: (m, at, out) => requireString(m, "text", at, out, 5000, 1),
  sticker: (m, at, out) => {
    requireString(m, "packageId", at, out);
    requireString(m, "stickerId", at, out);
  },
  image: (m, at, out) => {
    requireHttpsUrl(m, "originalContentUrl", at, out);
    requireHttpsUrl(m, "previewImageUrl", at, out);
  },
  video: (m, at, out) => {
    requireHttpsUrl(m, "originalContentUrl", at, out);
    requireHttpsUrl(m, "previewImageUrl", at, out);
    if (typeof m.trackingId === "string" && m.trackingId.length > 100) {
      out.push({ message: "Length must be between 0 and 100", property: `${at}.trackingId` });
    }
  },
  audio: (m, at, out) => {
    requireHttpsUrl(m, "originalContentUrl", at, out);
    requireNumber(m, "duration", at, out);
  },
  location: (m, at, out) => {
    requireString(m, "title", at, out, 100);
    requireString(m, "address", at, out, 100);
    requireNumber(m, "latitude", at, out);
    requireNumber(m, "longitude", at, out);
  },
  imagemap: (m, at, out) => {
    requireHttpsUrl(m, "baseUrl", at, out);
    requireString(m, "altText", at, out, 1500, 1);
    requireObject(m, "baseSize", at, out);
    if (!Array.isArray(m.actions))
      out.push({ message: "Must not be null", property: `${at}.actions` });
  },
  template: (m, at, out) => {
    requireString(m, "altText", at, out, 1500, 1);
    requireObject(m, "template", at, out);
  },
  flex: (m, at, out) => {
    requireString(m, "altText", at, out, 1500, 1);
    requireObject(m, "contents", at, out);
  },
  coupon: (m, at, out) => requireString(m, "couponId", at, out),
};

function validateCommon(m: Record<string, unknown>, at: string, out: ErrorDetail[]) {
  const items = isObject(m.quickReply) ? m.quickReply.items : undefined;
  if (Array.isArray(items) && (items.length < 1 || items.length > 13)) {
    out.push({ message: "Size must be between 1 and 13", property: `${at}.quickReply.items` });
  }
  if (isObject(m.sender) && typeof m.sender.name === "string" && m.sender.name.length > 20) {
    out.push({ message: "Length must be between 1 and 20", property: `${at}.sender.name` });
  }
}

/** Validates a `messages` array; returns LINE-style details, empty when all is well. */
export function validateMessages(messages: unknown): ErrorDetail[] {
  if (!Array.isArray(messages)) return [{ message: "Must not be null", property: "messages" }];
  if (messages.length < 1 || messages.length > 5) {
    return [{ message: "Size must be between 1 and 5", property: "messages" }];
  }
  const out: ErrorDetail[] = [];
  messages.forEach((message, index) => {
    const at = `messages[${index}]`;
    if (!isObject(message)) {
      out.push({ message: "Must not be null", property: at });
      return;
    }
    const check = checks[message.type as (typeof messageTypes)[number]];
    if (typeof message.type !== "string" || !check) {
      out.push({
        message: `Must be one of the following values: [${messageTypes.join(", ")}]`,
        property: `${at}.type`,
      });
      return;
    }
    check(message, at, out);
    validateCommon(message, at, out);
  });
  return out;
}
