import { type QueueDashboardOptions, queueDashboard } from "@linefleet/dashboard";
import { invalidSignature, type WebhookOutcome } from "@linefleet/ingress";
import type { Logger } from "@linefleet/log";
import { answerReadiness, type IngressMetrics, type Registry } from "@linefleet/metrics";
import Fastify, { type FastifyReply, type FastifyRequest, LogController } from "fastify";

export interface IngressAppDeps {
  logger: Logger;
  bodyLimit: number;
  /** The webhook of each path (`/webhook/<channel>`, and `/webhook` for "default"). */
  webhooks: Record<string, WebhookRoute>;
  /**
   * Resolves when Redis answers and is safe to queue in; rejects otherwise, with a
   * `RedisMayEvictError` when its maxmemory-policy may evict queued events.
   */
  checkReady(): Promise<void>;
  /** A readiness check slower than this fails (default 1 s). */
  readyTimeoutMs?: number;
  /**
   * Why the spool cannot take requests now (a full disk), if it cannot: told by /readyz when Redis
   * is away too, since webhooks are then answered 503.
   */
  spoolProblem?(): string | undefined;
  /**
   * Served at GET /metrics (unless `elsewhere`: INGRESS_METRICS_PORT serves it); every webhook
   * answer is counted in `observe`.
   */
  metrics?: { registry: Registry; observe: IngressMetrics; elsewhere?: boolean };
  /** Mounts the queue dashboard at /admin/queues; absent, the path does not exist. */
  dashboard?: QueueDashboardOptions;
  /** Serve HTTPS with this certificate chain and key (PEM) instead of plain HTTP. */
  tls?: { cert: string; key: string };
}

type WebhookHandler = (request: {
  rawBody: Uint8Array;
  signature: string | undefined;
}) => Promise<WebhookOutcome>;

/** One channel's webhook: its handler, and its name for logs and metrics. */
export interface WebhookRoute {
  channel: string;
  handle: WebhookHandler;
}

/** The `channel` label of requests to a webhook path no channel serves. */
const UNKNOWN_CHANNEL = "(unknown)";

/** A request still arriving after this is cut with 408 (LINE sends a webhook in one go). */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Node checks requestTimeout only every connectionsCheckingInterval (30 s by default), so the
 * bound would hold only after 10–40 s; checked every second, it holds within 11 s. And Node
 * applies the bound only if the server is created with it: setting it afterwards, as Fastify
 * does, is not enough. So both go to the server's constructor, HTTP or HTTPS.
 */
function serverOptions(tls: IngressAppDeps["tls"]) {
  const bounds = { connectionsCheckingInterval: 1_000, requestTimeout: REQUEST_TIMEOUT_MS };
  return tls ? { https: { ...tls, ...bounds } } : { https: null, http: bounds };
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
    requestTimeout: REQUEST_TIMEOUT_MS,
    ...serverOptions(deps.tls),
  });

  // Keep every body as raw bytes: the signature must be checked before anything parses them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  const metrics = deps.metrics;
  for (const [path, { channel, handle }] of Object.entries(deps.webhooks)) {
    // Counted when the answer is sent, so refusals Fastify makes before the handler (413) count too.
    const countWebhook = {
      onResponse: async (_request: FastifyRequest, reply: FastifyReply) => {
        metrics?.observe.webhookAnswered(channel, reply.statusCode, reply.elapsedTime / 1000);
      },
    };
    app.post(path, countWebhook, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers["x-line-signature"];
      const outcome = await handle({
        rawBody,
        signature: Array.isArray(signature) ? signature[0] : signature,
      });
      if (outcome.status === 200) {
        // Guarded: the bindings object would otherwise be built for every request at level info.
        if (request.log.isLevelEnabled("debug")) {
          request.log.debug(
            { channel, events: outcome.envelope.events.length },
            "webhook accepted",
          );
        }
      } else {
        request.log.warn(
          { channel, status: outcome.status, error: outcome.body.error },
          "webhook refused",
        );
      }
      return reply.code(outcome.status).send(outcome.body);
    });
  }

  // Every other webhook path answers as a bad signature does, status and body: no secret verifies
  // a request there, and a 404 would let anyone list the channel names. Counted under a name no
  // channel can have (names are letters, digits, "-" and "_"), whatever path was probed.
  const unknownChannel = {
    onResponse: async (_request: FastifyRequest, reply: FastifyReply) => {
      metrics?.observe.webhookAnswered(UNKNOWN_CHANNEL, reply.statusCode, reply.elapsedTime / 1000);
    },
  };
  const refuse = async (_request: FastifyRequest, reply: FastifyReply) => {
    const outcome = invalidSignature();
    return reply.code(outcome.status).send(outcome.body);
  };
  if (!deps.webhooks["/webhook"]) app.post("/webhook", unknownChannel, refuse);
  app.post("/webhook/*", unknownChannel, refuse);

  app.get("/healthz", async () => ({ ok: true }));

  app.get("/readyz", async (request, reply) => {
    const { status, body } = await answerReadiness({
      checkReady: deps.checkReady,
      timeoutMs: deps.readyTimeoutMs,
      logger: request.log,
      ...(deps.spoolProblem ? { spoolProblem: deps.spoolProblem } : {}),
    });
    return reply.code(status).send(body);
  });

  if (metrics && !metrics.elsewhere) {
    app.get("/metrics", async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }

  if (deps.dashboard) void app.register(queueDashboard, deps.dashboard);

  return app;
}
