import { type Readable, Transform } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { type LineClient, toLineApiError } from "@linefleet/line-client";
import { ContentTooLargeError, RetryAfterError } from "./errors.ts";

interface ContentFetchOptions {
  maxBytes: number;
  preparingWaitMs: number;
  /** Injected in tests; waits between 202 answers. */
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * A message's bytes as a stream, refusing more than `maxBytes` (by Content-Length up front, and
 * by counting, for answers without one). LINE answers 202 while a large video or audio is still
 * being prepared: ask again, backing off, for up to `preparingWaitMs`; then retry the event later
 * rather than hold a worker slot.
 */
export async function fetchContent(
  blob: LineClient["blob"],
  messageId: string,
  options: ContentFetchOptions,
): Promise<Readable> {
  const wait = options.wait ?? sleep;
  let waited = 0;
  let pauseMs = 250;
  for (;;) {
    let response: Awaited<ReturnType<LineClient["blob"]["getMessageContentWithHttpInfo"]>>;
    try {
      response = await blob.getMessageContentWithHttpInfo(messageId);
    } catch (error) {
      throw toLineApiError(error);
    }
    if (response.httpResponse.status !== 202) return limited(response, messageId, options.maxBytes);
    response.body.destroy();
    if (waited >= options.preparingWaitMs) {
      throw new RetryAfterError(
        5_000,
        `the content of message ${messageId} is still being prepared`,
      );
    }
    const pause = Math.min(pauseMs, options.preparingWaitMs - waited);
    await wait(pause);
    waited += pause;
    pauseMs *= 2;
  }
}

function limited(
  response: { httpResponse: Response; body: Readable },
  messageId: string,
  maxBytes: number,
): Readable {
  const declared = Number(response.httpResponse.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body.destroy();
    throw new ContentTooLargeError(messageId, maxBytes);
  }
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new ContentTooLargeError(messageId, maxBytes));
      else done(null, chunk);
    },
  });
  response.body.on("error", (error) => counter.destroy(error));
  return response.body.pipe(counter);
}
