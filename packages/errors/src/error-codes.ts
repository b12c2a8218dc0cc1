/**
 * Every stable error code linefleet gives, in one table: its HTTP status where an HTTP answer
 * carries it, and what it means. docs/error-codes.md shows the same table, and a test holds the
 * two together, so a code cannot be added, renamed or reworded in one place only.
 */
export interface ErrorCodeEntry {
  /** The HTTP status of the answer that carries the code, where one does. */
  readonly status?: number;
  readonly message: string;
}

export const errorCodes = {
  LF_CONFIG_INVALID: {
    message:
      "The environment or the channels file is invalid; the message names every bad variable.",
  },
  LF_SHARD_COUNT_MISMATCH: {
    message:
      "QUEUE_SHARDS differs from the count the deployment's queue was created with; the process exits 78.",
  },
  LF_REDIS_MAY_EVICT: {
    status: 503,
    message: "Redis's maxmemory-policy may evict queued events (/readyz answers redis_may_evict).",
  },
  LF_EVENTS_NOT_STORABLE: {
    status: 400,
    message:
      "A webhook's events cannot be stored in Redis (nested too deeply, say); resending will not help.",
  },
  LF_REPLICAS_NOT_CONFIRMED: {
    status: 503,
    message:
      "Fewer replicas than INGRESS_MIN_REPLICAS confirmed a webhook's events in time; LINE may redeliver.",
  },
  LF_BOT_INFO_UNAVAILABLE: {
    message: "The ingress could not ask LINE for a channel's bot user ID (GET /v2/bot/info) now.",
  },
  LF_TIMEOUT: {
    status: 503,
    message: "An operation took longer than its bound (enqueueing a webhook, a readiness check).",
  },
  LF_SPOOL_FULL: {
    status: 503,
    message: "The ingress spool's journal has reached INGRESS_SPOOL_MAX_BYTES.",
  },
  LF_SPOOL_UNAVAILABLE: {
    status: 503,
    message:
      "The spool's journal cannot be opened (the disk failed); nothing is spooled until it can.",
  },
  LF_SPOOL_SHORT_WRITE: {
    status: 503,
    message:
      "The disk took only part of a spool write (typically: it is full); the request is refused.",
  },
  LF_SPOOL_DIR_UNSAFE: {
    message:
      "INGRESS_SPOOL_DIR, or a file in it, is not safe to use (its owner, mode or a symlink).",
  },
  LF_WORKER_INVALID_JOB: {
    message:
      "A job's payload is not a LINE event job; it is dead-lettered at once with the reason.",
  },
  LF_TOKEN_UNAVAILABLE: {
    message:
      "No channel access token could be had within the wait: issuing one failed or took too long.",
  },
  LF_NON_RETRIABLE: {
    message: "A handler failed its event for good: it is kept as a dead letter, not retried.",
  },
  LF_RETRY_AFTER: {
    message: "A handler asked for its event to be retried after a given time.",
  },
  LF_SESSION_CONFLICT: {
    message: "Another event wrote the chat's session while this one ran; the event is retried.",
  },
  LF_CONTENT_TOO_LARGE: {
    message:
      "A message's content is larger than getContent()'s maxBytes; it is refused, not truncated.",
  },
  LF_CONTEXT_USAGE: {
    message: "A context helper was used on an event it does not apply to.",
  },
  LF_CONVERSATION_REPLAY: {
    message:
      "A conversation's code no longer replays as its log was recorded; the conversation is ended (logged as a warning).",
  },
  LF_TLS_ALERT: {
    message: "The doctor's TLS check: the server answered the handshake with an alert.",
  },
  LF_TLS_TIMEOUT: {
    message: "The doctor's TLS check: the server did not finish the handshake in time.",
  },
  LF_TLS_CONNECT: {
    message: "The doctor's TLS check: no connection could be made to the server.",
  },
  LF_TLS_PROTOCOL: {
    message:
      "The doctor's TLS check: the server broke the handshake (closed it, or sent no certificate).",
  },
  LF_TRIGGER_USAGE: {
    message: "pnpm trigger was given options it cannot turn into an event.",
  },
  LF_TRIGGER_CONTROL_API: {
    message: "pnpm trigger: the emulator's control API refused a call or could not be reached.",
  },
  LF_EMULATOR_INVALID_INPUT: {
    status: 400,
    message: "The emulator's control API was given input it cannot use.",
  },
  LF_EMULATOR_UNKNOWN_USER: {
    status: 400,
    message: "The emulator's control API was given a user the emulator does not know.",
  },
  LF_EMULATOR_UNKNOWN_CHAT: {
    status: 400,
    message: "The emulator's control API was given a group or room the emulator does not know.",
  },
  LF_EMULATOR_UNKNOWN_MESSAGE: {
    status: 400,
    message: "The emulator's control API was given a message the emulator does not know.",
  },
  LF_EMULATOR_NOT_FOUND: {
    status: 404,
    message: "The emulator has no such channel, or no such rich menu image.",
  },
  LF_EMULATOR_HOST_NOT_ALLOWED: {
    status: 421,
    message: "The emulator was reached under a Host it does not serve (DNS rebinding is refused).",
  },
  LF_EMULATOR_CROSS_ORIGIN: {
    status: 403,
    message: "A request from another origin tried to change the emulator's state.",
  },
  LF_EMULATOR_NOT_JSON: {
    status: 415,
    message: "A request that changes the emulator's state was not sent as JSON.",
  },
  LF_RICH_MENUS_INVALID: {
    message:
      "A rich-menus module declares menus LINE would refuse; the message names every problem and where.",
  },
  LF_RICH_MENU_RELINK_FAILED: {
    message:
      "LINE did not finish moving users to replacing rich menus; the old menus are kept, and the next sync retries.",
  },
} as const satisfies Record<`LF_${string}`, ErrorCodeEntry>;

export type ErrorCode = keyof typeof errorCodes;

/**
 * Whether `error` carries one of `codes`. Branch on codes, not on classes or messages: a code
 * matches across packages (and process boundaries) without importing the class that throws it.
 */
export function hasErrorCode(error: unknown, ...codes: ErrorCode[]): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" && (codes as string[]).includes(code);
}
