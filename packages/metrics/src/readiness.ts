import { hasErrorCode, withTimeout } from "@linefleet/errors";

/** What `/readyz` answers, for whichever HTTP server sends it. */
export interface ReadinessAnswer {
  status: 200 | 503;
  body: {
    ok: boolean;
    error?: "redis_may_evict" | "redis_unavailable";
    reason?: string;
    /** Why the ingress's spool cannot stand in for Redis either (a full disk). */
    spool?: string;
  };
}

/** The two levels a readiness failure is logged at (pino's Logger has them). */
interface ReadinessLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ReadinessOptions {
  /** Resolves when the process can do its work (Redis answers, and keeps keys); rejects with why not. */
  checkReady(): Promise<void>;
  /** A check slower than this fails. */
  timeoutMs?: number;
  logger?: ReadinessLog;
  onNotReady?(error: unknown): void;
  /**
   * Why the spool cannot take requests now, if it cannot (the ingress's): told when Redis is away
   * too, since webhooks are then answered 503.
   */
  spoolProblem?(): string | undefined;
}

/**
 * The one readiness responder of the ingress and the worker: 200 when the check passes in time;
 * 503 `redis_may_evict` with the reason when Redis's policy may evict queued events (logged as an
 * error: events acknowledged to LINE could vanish without a trace), else 503 `redis_unavailable`.
 * Branches on the error's code, so it needs no import of the store.
 */
export async function answerReadiness(options: ReadinessOptions): Promise<ReadinessAnswer> {
  try {
    await withTimeout(options.checkReady(), options.timeoutMs ?? 1_000, "readiness check");
    return { status: 200, body: { ok: true } };
  } catch (error) {
    options.onNotReady?.(error);
    const { message, policy } = error as { message?: string; policy?: string };
    if (hasErrorCode(error, "LF_REDIS_MAY_EVICT")) {
      options.logger?.error({ policy }, message ?? "Redis may evict");
      return { status: 503, body: { ok: false, error: "redis_may_evict", reason: message ?? "" } };
    }
    // One line: why it is not ready is news, a stack trace of a refused connection is not.
    const spool = options.spoolProblem?.();
    options.logger?.warn({ reason: message, ...(spool ? { spool } : {}) }, "not ready");
    return {
      status: 503,
      body: { ok: false, error: "redis_unavailable", ...(spool ? { spool } : {}) },
    };
  }
}
