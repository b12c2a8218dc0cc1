import type { EmulatedChannel } from "../core/channels.ts";
import type { AcceptedMessage, Platform } from "../core/platform.ts";
import type { SpecOperation } from "./spec/line-specs.ts";

interface RouteContext {
  platform: Platform;
  /** The channel whose access token authenticated the call. */
  channel: EmulatedChannel;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined for requests without one. */
  body: unknown;
  /** The body's bytes, for operations whose body is not JSON (images, multipart, forms). */
  rawBody: Buffer | undefined;
  /** The request's `Content-Type`, lower-cased; "" when absent. */
  contentType: string;
  requestId: string;
  /** linefleet's `x-linefleet-scheduled-for` on a push of scheduled work: when it was due. */
  scheduledFor?: number | undefined;
}

export interface RouteResult {
  status?: number;
  /** JSON, or raw bytes for the data API. */
  body: unknown;
  contentType?: string;
  /** Push's `sentMessages`, remembered with an accepted retry key for the 409 answer. */
  sentMessages?: AcceptedMessage[];
}

/** How an operation's request body is read, from its `requestBody` content type in the spec. */
export type BodyKind = "json" | "bytes" | "multipart" | "form";

export interface Route {
  /** The spec operation this route answers (`x-linefleet-operation`). */
  operationId: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** LINE's path with `{param}` placeholders; also the key for rate limits and faults. */
  pattern: string;
  /** Only push, multicast, narrowcast and broadcast accept `X-Line-Retry-Key`. */
  acceptsRetryKey?: boolean;
  /** The spec's operation (its parameters, request and response schemas); set by the route table. */
  operation?: SpecOperation;
  /** Set by the route table from the spec; JSON unless the spec says otherwise. */
  bodyKind?: BodyKind;
  /** How the caller authenticates, from the spec's `security`: a bearer token unless `basic`. */
  auth?: "bearer" | "basic";
  /** `computed` when the answer is a statistic of the emulator's own traffic; else stateful. */
  behaviour?: "computed";
  /**
   * The operation's own checks of its body, beyond the spec's schema and LINE's shared rules:
   * pure (no side effects), throwing LINE's 400 like the handler would. When the body already
   * fails validation, the pipeline runs these too, so one answer names every problem, as LINE's does.
   */
  checkBody?(body: unknown): unknown;
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}
