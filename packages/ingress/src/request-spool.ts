import { withTimeout } from "@linefleet/errors";
import type { Logger } from "@linefleet/log";
import { createRecordKeyring, openSpool, type Spool } from "@linefleet/spool";
import { EventsNotStorableError } from "@linefleet/store";
import type { WebhookEvent } from "@linefleet/webhook";
import type { WebhookSpool } from "./handle-webhook.ts";

/** One webhook request as the journal keeps it. */
export interface SpooledRequest {
  channel: string;
  destination: string;
  events: WebhookEvent[];
  receivedAt: number;
}

export interface RequestSpoolOptions {
  dir: string;
  maxBytes: number;
  /** Each channel's name and secret: a request's record is authenticated with a key derived from its channel's secret. */
  channels: ReadonlyArray<{ name: string; channelSecret: string }>;
  /** The normal enqueue of a request's events; replays go through it, so an event held already is refused. */
  enqueue(request: SpooledRequest): Promise<void>;
  /** Bound on one replay batch, as on a webhook's enqueue. */
  enqueueTimeoutMs: number;
  logger: Pick<Logger, "info" | "warn" | "error">;
}

export interface RequestSpool {
  spool: Spool<SpooledRequest>;
  /** The spool as a channel's webhook handler sees it. */
  forChannel(channel: string): WebhookSpool;
}

/**
 * The ingress spool (INGRESS_SPOOL_DIR): webhook requests Redis cannot take in time are journaled
 * and replayed into the queue. Throws SpoolDirectoryError for an unsafe directory; a failing disk
 * is never thrown (see openSpool).
 */
export async function openRequestSpool(options: RequestSpoolOptions): Promise<RequestSpool> {
  const { logger } = options;
  const spool = await openSpool<SpooledRequest>({
    dir: options.dir,
    maxBytes: options.maxBytes,
    keyring: createRecordKeyring(
      options.channels.map((channel) => [channel.name, channel.channelSecret] as const),
    ),
    keyOf: (request) => request.channel,
    logger,
    replay: async (requests) => {
      await withTimeout(
        Promise.all(
          requests.map((request) =>
            options.enqueue(request).catch((error: unknown) => {
              // Events Redis can never take would hold up the journal forever: dropped, loudly.
              if (!(error instanceof EventsNotStorableError)) throw error;
              logger.error(
                { err: error, channel: request.channel },
                "spooled events cannot be stored; dropped",
              );
            }),
          ),
        ),
        options.enqueueTimeoutMs,
        "spool replay",
      );
    },
  });
  return {
    spool,
    forChannel: (channel) => ({
      get spooling() {
        return spool.spooling;
      },
      append: (envelope, receivedAt) =>
        spool.append({
          channel,
          destination: envelope.destination,
          events: envelope.events,
          receivedAt,
        }),
    }),
  };
}
