import { env, lineApiEnv, logEnv, redisEnv } from "@linefleet/config";
import {
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_WRITE_BATCH_MAX,
  DEFAULT_WRITE_WINDOW_MS,
} from "@linefleet/store";
import { z } from "zod";
import { CLOCK_SKEW_ALLOWANCE_MS, maxEventAgeFor } from "./freshness.ts";

/**
 * What an ingress process reads (the ingress process, and the doctor judging its configuration).
 * The channels themselves (CHANNELS_FILE, or LINE_CHANNEL_SECRET) are read by @linefleet/channels. */
export const ingressEnvSchema = z
  .object({
    ...redisEnv,
    ...logEnv,
    /** Where the ingress asks LINE for a channel's bot user ID (GET /v2/bot/info). */
    LINE_API_BASE_URL: lineApiEnv.LINE_API_BASE_URL,
    PORT: env.port(3000),
    HOST: z.string().default("0.0.0.0"),
    /**
     * Serve GET /metrics (with /healthz and /readyz) on this port instead of the webhook port, so
     * that what LINE reaches need not show the metrics; unset, /metrics is on PORT.
     */
    INGRESS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Listen address of INGRESS_METRICS_PORT (default: HOST). */
    INGRESS_METRICS_HOST: z.string().min(1).optional(),
    /** Largest webhook body accepted, in bytes; LINE's own requests are far smaller. */
    WEBHOOK_BODY_LIMIT: env.int(1024 * 1024, 1),
    /** How long the ingress waits on Redis before answering 503; well inside LINE's 2 s. */
    ENQUEUE_TIMEOUT_MS: env.ms(1000),
    /**
     * How long an event's webhookEventId is remembered, so redeliveries are refused: one small
     * mark per event. LINE redelivers for a limited time only; far shorter windows risk doubles.
     */
    DEDUPE_TTL_MS: env.int(DEFAULT_DEDUPE_TTL_MS, 1_000),
    /**
     * Events older than this (from their timestamp) are answered 200 and dropped: LINE does not
     * redeliver that late, and a captured request must not be answered again once its dedupe mark
     * lapsed. At most DEDUPE_TTL_MS minus 5 minutes (the clock-skew allowance); that by default.
     */
    MAX_EVENT_AGE_MS: z.coerce.number().int().min(1_000).optional(),
    /**
     * Where to journal the events Redis could not take within ENQUEUE_TIMEOUT_MS, to answer 200
     * and replay them later; unset, such requests are answered 503. Worth it when LINE's
     * redelivery is off, or when Redis failovers outlast LINE's 2 s.
     */
    INGRESS_SPOOL_DIR: z.string().min(1).optional(),
    /**
     * How many replicas must have a request's writes before it is answered 200 (Redis `WAIT`,
     * given half of ENQUEUE_TIMEOUT_MS); fewer, and it is answered 503, or spooled. 0: once the
     * master has them, which a master dying before it replicates can lose.
     */
    INGRESS_MIN_REPLICAS: env.int(0, 0),
    /**
     * How long the ingress gathers requests into one Redis write after the first of them (ms):
     * one script call per shard carries every request of the window, and each is answered once its own events
     * are stored. 0: the requests of one turn of the event loop.
     */
    INGRESS_WRITE_WINDOW_MS: env.ms(DEFAULT_WRITE_WINDOW_MS),
    /** A write leaves before its window ends once its requests hold this many events. */
    INGRESS_WRITE_BATCH_MAX: env.int(DEFAULT_WRITE_BATCH_MAX, 1),
    /** Largest spool journal in bytes; past it, requests are answered 503 again. */
    INGRESS_SPOOL_MAX_BYTES: env.int(64 * 1024 * 1024, 1024),
    /**
     * How long SIGTERM waits for in-flight webhooks before cutting the connections still open. A
     * webhook is answered within ENQUEUE_TIMEOUT_MS, and LINE stops waiting after 2 s anyway.
     */
    SHUTDOWN_GRACE_MS: env.ms(2_000),
    /** With DASHBOARD_PASSWORD, turns on the queue dashboard at /admin/queues (basic auth). */
    DASHBOARD_USER: z.string().optional(),
    DASHBOARD_PASSWORD: z.string().optional(),
    /** Serve HTTPS with this certificate chain (PEM: the leaf, then its intermediates) ... */
    TLS_CERT_FILE: z.string().min(1).optional(),
    /** ... and this private key (PEM). Set both, or neither for plain HTTP behind a proxy. */
    TLS_KEY_FILE: z.string().min(1).optional(),
  })
  .superRefine((env, context) => {
    // The dedupe mark must outlive the window in which an event is accepted (freshness.ts).
    const limit = maxEventAgeFor(env.DEDUPE_TTL_MS);
    const skew = `${CLOCK_SKEW_ALLOWANCE_MS / 60_000} minutes`;
    if (env.MAX_EVENT_AGE_MS === undefined && limit < 1_000) {
      context.addIssue({
        code: "custom",
        path: ["DEDUPE_TTL_MS"],
        message: `must be more than ${skew} (the clock-skew allowance) so that events can be accepted at all`,
      });
    } else if (env.MAX_EVENT_AGE_MS !== undefined && env.MAX_EVENT_AGE_MS > limit) {
      context.addIssue({
        code: "custom",
        path: ["MAX_EVENT_AGE_MS"],
        message: `must be at most DEDUPE_TTL_MS minus ${skew} (${limit}): an older event's dedupe mark may have lapsed, so a replayed request would be answered twice; lower it or raise DEDUPE_TTL_MS`,
      });
    }
    // One without the other is a typo, not a choice: say so rather than silently stay off.
    for (const [name, other, message] of [
      ["DASHBOARD_USER", "DASHBOARD_PASSWORD", "(or neither) to turn on the dashboard"],
      ["DASHBOARD_PASSWORD", "DASHBOARD_USER", "(or neither) to turn on the dashboard"],
      ["TLS_KEY_FILE", "TLS_CERT_FILE", "(or neither) to serve HTTPS"],
      ["TLS_CERT_FILE", "TLS_KEY_FILE", "(or neither) to serve HTTPS"],
    ] as const) {
      if (!env[name] && env[other]) {
        context.addIssue({
          code: "custom",
          path: [name],
          message: `set together with ${other} ${message}`,
        });
      }
    }
  });

export type IngressEnv = z.infer<typeof ingressEnvSchema>;

/** MAX_EVENT_AGE_MS as configured, else the largest that DEDUPE_TTL_MS keeps safe. */
export const maxEventAgeOf = (env: IngressEnv) =>
  env.MAX_EVENT_AGE_MS ?? maxEventAgeFor(env.DEDUPE_TTL_MS);
