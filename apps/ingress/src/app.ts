import { type QueueDashboardOptions, queueDashboard } from "@linefleet/dashboard";
import type { WebhookOutcome } from "@linefleet/ingress";
import type { Logger } from "@linefleet/log";
import type { IngressMetrics, Registry } from "@linefleet/metrics";
import Fastify, { type FastifyReply, type FastifyRequest, LogController } from "fastify";

export interface IngressAppDeps {
  logger: Logger;
  bodyLimit: number;
  handleWebhook(request: {
    rawBody: Uint8Array;
    signature: string | undefined;
  }): Promise<WebhookOutcome>;
  /** Resolves when Redis answers; rejects otherwise. */
  checkReady(): Promise<void>;
  /** Served at GET /metrics; every webhook answer is counted in `observe`. */
  metrics?: { registry: Registry; observe: IngressMetrics; channel: string };
  /** Mounts the queue dashboard at /admin/queues; absent, the path does not exist. */
  dashboard?: QueueDashboardOptions;
}

/** The HTTP face of the ingress: transport only, the webhook logic lives in @linefleet/ingress. */
export function buildApp(deps: IngressAppDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimit,
    // Per-request lines would dominate the logs at LINE's volumes; refusals are logged below.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // LINE sends a webhook in one go and gives up after 2 s: a request still arriving after 10 s is
    // not LINE's, and must not hold a socket (or a graceful shutdown) open.
    requestTimeout: 10_000,
  });

  // Keep every body as raw bytes: the signature must be checked before anything parses them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  const metrics = deps.metrics;
  // Counted when the answer is sent, so refusals Fastify makes before the handler (413) count too.
  const countWebhook = {
    onResponse: async (_request: FastifyRequest, reply: FastifyReply) => {
      metrics?.observe.webhookAnswered(metrics.channel, reply.statusCode, reply.elapsedTime / 1000);
    },
  };

  app.post("/webhook", countWebhook, async (request, reply) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers["x-line-signature"];
    const outcome = await deps.handleWebhook({
      rawBody,
      signature: Array.isArray(signature) ? signature[0] : signature,
    });
    if (outcome.status === 200) {
      request.log.debug({ events: outcome.envelope.events.length }, "webhook accepted");
    } else {
      request.log.warn({ status: outcome.status, error: outcome.body.error }, "webhook refused");
    }
    return reply.code(outcome.status).send(outcome.body);
  });

  app.get("/healthz", async () => ({ ok: true }));

  app.get("/readyz", async (request, reply) => {
    try {
      await deps.checkReady();
      return { ok: true };
    } catch (error) {
      // One line: why it is not ready is news, a stack trace of a refused connection is not.
      request.log.warn({ reason: (error as Error).message }, "not ready");
      return reply.code(503).send({ ok: false, error: "redis_unavailable" });
    }
  });

  if (metrics) {
    app.get("/metrics", async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }

  if (deps.dashboard) void app.register(queueDashboard, deps.dashboard);

  return app;
}
