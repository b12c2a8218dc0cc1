import { hasErrorCode, withTimeout } from "@linefleet/errors";
import {
  parseEnvelope,
  verifySignature,
  type WebhookEnvelope,
  type WebhookEvent,
} from "@linefleet/webhook";
import { splitByAge } from "./freshness.ts";

export interface WebhookRequest {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: Uint8Array;
  signature: string | undefined;
}

export type WebhookOutcome =
  | { status: 200; body: { ok: true; events: number }; envelope: WebhookEnvelope }
  | {
      status: 400 | 401 | 403 | 503;
      body: { ok: false; error: WebhookErrorCode; message: string };
    };

export type WebhookErrorCode =
  | "invalid_signature"
  | "invalid_json"
  | "invalid_envelope"
  | "unstorable_events"
  | "wrong_destination"
  | "queue_unavailable";

export interface WebhookHandlerDeps {
  channelSecret: string;
  /**
   * Makes the events durable; must reject when they may not be — with an error whose `code` is
   * `LF_EVENTS_NOT_STORABLE` when the request's own events cannot be stored (a 400: resending
   * them would not help).
   */
  enqueue(envelope: WebhookEnvelope, receivedAt: number): Promise<void>;
  /**
   * Whether a verified body's `destination` is this channel's bot (see destination-guard.ts);
   * rejects when that cannot be told now (Redis away). Without it every destination passes.
   */
  checkDestination?(destination: string): Promise<boolean>;
  /**
   * LINE gives up after 2 s. Past this bound the ingress answers 503 rather than 200, so an
   * event is never acknowledged without being durably queued.
   */
  enqueueTimeoutMs: number;
  /**
   * Events older than this (from their `timestamp`) are acknowledged and dropped, never queued:
   * LINE does not redeliver that late, and a captured request sent again once its dedupe mark has
   * lapsed must not be answered twice (see freshness.ts). Without it every event is queued.
   */
  maxEventAgeMs?: number;
  /** Told of the events dropped as too old (already acknowledged), to count and log them. */
  onStaleEvents?: (events: readonly WebhookEvent[], receivedAt: number) => void;
  /**
   * Where a request's events go when Redis cannot take them within `enqueueTimeoutMs`: a local
   * journal replayed into Redis later. Without it such a request is answered 503.
   */
  spool?: WebhookSpool;
  now?: () => number;
  /** Called when an enqueue failed or took too long; `fallback` says what the request got. */
  onEnqueueError?: (error: unknown, fallback: "spooled" | "refused") => void;
  onSpoolError?: (error: unknown) => void;
}

export interface WebhookSpool {
  /** While true, requests must go to the spool too, so that its events keep their order. */
  readonly spooling: boolean;
  /** Resolves once the events are durable on local disk; rejects when they may not be (full). */
  append(envelope: WebhookEnvelope, receivedAt: number): Promise<void>;
}

/**
 * The framework-neutral webhook endpoint: verify, parse, enqueue, then acknowledge.
 * HTTP servers map their request to a WebhookRequest and the outcome back to a response.
 */
export function createWebhookHandler(deps: WebhookHandlerDeps) {
  const now = deps.now ?? Date.now;

  return async function handleWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
    if (!verifySignature(request.rawBody, deps.channelSecret, request.signature)) {
      return invalidSignature();
    }
    const parsed = parseEnvelope(request.rawBody);
    if (!parsed.ok) return failure(400, parsed.reason, parsed.detail);

    const receivedAt = now();
    const accepted: WebhookOutcome = {
      status: 200,
      body: { ok: true, events: parsed.envelope.events.length },
      envelope: parsed.envelope,
    };
    let { envelope } = parsed;
    // Too old: dropped before anything stores them (queue or spool); the request is still
    // answered 200, as LINE must not redeliver it.
    const { fresh, stale } =
      deps.maxEventAgeMs === undefined
        ? { fresh: envelope.events, stale: [] }
        : splitByAge(envelope.events, receivedAt, deps.maxEventAgeMs);
    if (stale.length > 0) envelope = { ...envelope, events: fresh };
    const { spool } = deps;
    try {
      if (
        deps.checkDestination &&
        !(await withTimeout(
          deps.checkDestination(envelope.destination),
          deps.enqueueTimeoutMs,
          "destination check",
        ))
      ) {
        return failure(
          403,
          "wrong_destination",
          "destination is not this channel's bot: the webhook URL of another channel?",
        );
      }
    } catch (error) {
      // Redis is away and the bot is not known yet. The signature proves the request was made
      // with this channel's secret, so with a spool its events are kept rather than lost.
      const saved = spool ? await spooled(spool, envelope, receivedAt) : false;
      deps.onEnqueueError?.(error, saved ? "spooled" : "refused");
      return saved ? accepted : unavailable();
    }
    if (stale.length > 0) deps.onStaleEvents?.(stale, receivedAt);
    if (spool?.spooling && envelope.events.length > 0) {
      return (await spooled(spool, envelope, receivedAt)) ? accepted : unavailable();
    }
    try {
      // A late enqueue may still land; that is safe, since the redelivery (or the spool's replay)
      // it races with is deduped.
      await withTimeout(deps.enqueue(envelope, receivedAt), deps.enqueueTimeoutMs, "enqueue");
    } catch (error) {
      if (hasErrorCode(error, "LF_EVENTS_NOT_STORABLE")) {
        // Resending, or replaying from the spool, would not help.
        deps.onEnqueueError?.(error, "refused");
        return failure(400, "unstorable_events", (error as Error).message);
      }
      const saved = spool ? await spooled(spool, envelope, receivedAt) : false;
      deps.onEnqueueError?.(error, saved ? "spooled" : "refused");
      return saved ? accepted : unavailable();
    }
    return accepted;
  };

  async function spooled(spool: WebhookSpool, envelope: WebhookEnvelope, receivedAt: number) {
    try {
      await spool.append(envelope, receivedAt);
      return true;
    } catch (error) {
      deps.onSpoolError?.(error);
      return false;
    }
  }
}

/**
 * The answer to a request whose signature does not verify. Also the answer at a webhook path no
 * channel serves: no secret can verify it there, and a 404 would tell which channel names exist.
 */
export const invalidSignature = () =>
  failure(401, "invalid_signature", "x-line-signature is missing or does not match the body");

const unavailable = () =>
  failure(503, "queue_unavailable", "events could not be queued; LINE may redeliver");

function failure(
  status: 400 | 401 | 403 | 503,
  error: WebhookErrorCode,
  message: string,
): WebhookOutcome {
  return { status, body: { ok: false, error, message } };
}
