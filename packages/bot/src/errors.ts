/** Errors a handler throws (or the context throws) to steer what happens to its event. */

/** The event is failed for good (kept as a dead letter): retrying cannot help. */
export class NonRetriableError extends Error {
  readonly code: string = "LF_NON_RETRIABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetriableError";
  }
}

/** Try the event again after `retryAfterMs`, e.g. when a downstream service asked to wait. */
export class RetryAfterError extends Error {
  readonly code: string = "LF_RETRY_AFTER";
  readonly retryAfterMs: number;
  constructor(
    retryAfterMs: number,
    message = `retry after ${retryAfterMs} ms`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RetryAfterError";
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The chat's session was written by another event while this one ran (it waited past
 * `LANE_MAX_WAIT_MS`, or was a retry overtaken by a later event). Nothing of this event's session
 * was written; the event is retried with the newer session, like any other retriable error.
 */
export class SessionConflictError extends Error {
  readonly code = "LF_SESSION_CONFLICT";
  /** `chat`: the bot's user ID and the chat's ID, as `<destination>:<chatId>`. */
  constructor(chat: string) {
    super(`the session of ${chat} changed while this event ran; retrying with the newer one`);
    this.name = "SessionConflictError";
  }
}

/** `getContent()` found more bytes than its `maxBytes`: the content is refused, not truncated. */
export class ContentTooLargeError extends NonRetriableError {
  override readonly code = "LF_CONTENT_TOO_LARGE";
  readonly maxBytes: number;
  constructor(messageId: string, maxBytes: number) {
    super(`the content of message ${messageId} is larger than ${maxBytes} bytes`);
    this.name = "ContentTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/** A context helper was used on an event it does not apply to (getContent on a text, say). */
export class ContextUsageError extends NonRetriableError {
  override readonly code = "LF_CONTEXT_USAGE";
  constructor(message: string) {
    super(message);
    this.name = "ContextUsageError";
  }
}

/**
 * A conversation's code ran differently when replayed than when its log was recorded (a wait
 * where a value was recorded, say): the code changed under it, or it is not deterministic. The
 * runtime ends the conversation with a warning; the event goes to the routes.
 */
export class ConversationReplayError extends Error {
  readonly code = "LF_CONVERSATION_REPLAY";
  constructor(name: string, detail: string) {
    super(
      `conversation "${name}" no longer replays as it ran (${detail}): code between two waits must do the same each time it runs`,
    );
    this.name = "ConversationReplayError";
  }
}
