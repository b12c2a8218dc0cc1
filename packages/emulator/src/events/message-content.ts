import type { Platform } from "../core/platform.ts";
import { EmulatorError, errorCodes } from "../errors.ts";
import { newQuoteToken } from "../ids.ts";
import type { EventInput } from "./event-input.ts";
import { sampleContent } from "./sample-content.ts";

type Payload = Record<string, unknown>;

const invalid = (message: string) => new EmulatorError(errorCodes.invalidInput, message);

function storeContent(
  platform: Platform,
  messageId: string,
  kind: "image" | "video" | "audio" | "file",
  input: EventInput,
) {
  const sample = sampleContent[kind];
  const bytes = Buffer.from(input.contentBase64 ?? sample.base64, "base64");
  if (input.preparingCalls && kind !== "video" && kind !== "audio") {
    throw invalid("preparingCalls applies to video and audio only");
  }
  platform.content.put(messageId, {
    kind,
    contentType: input.contentType ?? sample.contentType,
    bytes,
    preparingCalls: input.preparingCalls ?? 0,
  });
  return bytes;
}

function textMessage(platform: Platform, input: EventInput, chatId: string): Payload {
  let text = input.text ?? "Hello";
  const extra: Payload = {};
  if (input.emojis) extra.emojis = input.emojis;
  if (input.mentionBot) {
    const handle = `@${platform.bot.displayName}`;
    if (!text.includes(handle)) text = `${handle} ${text}`;
    extra.mention = {
      mentionees: [
        {
          index: text.indexOf(handle),
          length: handle.length,
          type: "user",
          userId: platform.bot.userId,
          isSelf: true,
        },
      ],
    };
  }
  if (input.quotedMessageId) {
    if (platform.activity.findMessage(input.quotedMessageId)?.chatId !== chatId) {
      throw invalid(`no message ${input.quotedMessageId} in this chat to quote`);
    }
    extra.quotedMessageId = input.quotedMessageId;
  }
  return { type: "text", text, ...extra };
}

/** The `message` object of a message event, storing any binary content it carries. */
export function messageContent(
  platform: Platform,
  input: EventInput,
  id: string,
  chatId: string,
): Payload {
  const withQuote = { id, quoteToken: newQuoteToken() };
  switch (input.type) {
    case "text":
      return { ...withQuote, ...textMessage(platform, input, chatId) };
    case "image":
      storeContent(platform, id, "image", input);
      return { ...withQuote, type: "image", contentProvider: { type: "line" } };
    case "video":
      storeContent(platform, id, "video", input);
      return {
        ...withQuote,
        type: "video",
        duration: input.duration ?? 1000,
        contentProvider: { type: "line" },
      };
    case "audio":
      storeContent(platform, id, "audio", input);
      return {
        id,
        type: "audio",
        duration: input.duration ?? 1000,
        contentProvider: { type: "line" },
      };
    case "file": {
      const bytes = storeContent(platform, id, "file", input);
      return { id, type: "file", fileName: input.fileName ?? "file.txt", fileSize: bytes.length };
    }
    case "location":
      return {
        id,
        type: "location",
        ...(input.title ? { title: input.title } : {}),
        ...(input.address ? { address: input.address } : {}),
        latitude: input.latitude ?? 35.6586,
        longitude: input.longitude ?? 139.7454,
      };
    default:
      return {
        ...withQuote,
        type: "sticker",
        packageId: input.packageId ?? "446",
        stickerId: input.stickerId ?? "1988",
        stickerResourceType: input.stickerResourceType ?? "STATIC",
        ...(input.keywords ? { keywords: input.keywords } : {}),
      };
  }
}
