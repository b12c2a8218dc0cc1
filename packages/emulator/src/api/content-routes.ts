import type { StoredContent } from "../core/content-store.ts";
import type { Platform } from "../core/platform.ts";
import { LineErrorResponse } from "../errors.ts";
import type { Route } from "./route.ts";

/** LINE's data API (api-data.line.me), served from the same root. */
function contentOf(platform: Platform, messageId: string): StoredContent {
  const content = platform.content.get(messageId);
  if (!content) throw new LineErrorResponse(404, "not found");
  if (content.gone) throw new LineErrorResponse(410, "The content is gone");
  return content;
}

// A 1x1 PNG: the preview LINE would render for a video, which the emulator cannot.
const videoPreview = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==",
  "base64",
);

export const contentRoutes: Route[] = [
  {
    operationId: "getMessageContent",
    method: "GET",
    pattern: "/v2/bot/message/{messageId}/content",
    handle({ platform, params }) {
      const content = contentOf(platform, params.messageId ?? "");
      // LINE answers 202 with no content while it still prepares a large video or audio.
      if (content.preparingCalls > 0) {
        content.preparingCalls -= 1;
        return { status: 202, body: {} };
      }
      return { body: content.bytes, contentType: content.contentType };
    },
  },
  {
    operationId: "getMessageContentPreview",
    method: "GET",
    pattern: "/v2/bot/message/{messageId}/content/preview",
    handle({ platform, params }) {
      const content = contentOf(platform, params.messageId ?? "");
      if (content.kind === "image")
        return { body: content.bytes, contentType: content.contentType };
      if (content.kind === "video") return { body: videoPreview, contentType: "image/png" };
      throw new LineErrorResponse(400, "The content can not be previewed");
    },
  },
  {
    operationId: "getMessageContentTranscodingByMessageId",
    method: "GET",
    pattern: "/v2/bot/message/{messageId}/content/transcoding",
    handle({ platform, params }) {
      const content = contentOf(platform, params.messageId ?? "");
      if (content.kind !== "video" && content.kind !== "audio") {
        throw new LineErrorResponse(400, "Transcoding status doesn't support this type of content");
      }
      return { body: { status: content.preparingCalls > 0 ? "processing" : "succeeded" } };
    },
  },
];
