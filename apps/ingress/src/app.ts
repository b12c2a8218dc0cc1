import type { WebhookOutcome } from "@linefleet/ingress";
import type { Logger } from "@linefleet/log";
import Fastify, { LogController } from "fastify";

export interface IngressAppDeps {
  logger: Logger;
  bodyLimit: number;
  /** The webhook handler of each path: `/webhook/<channel>`, and `/webhook` for "default". */
  webhooks: Record<string, WebhookHandler>;
  /** Resolves when Redis answers; rejects otherwise. */
  checkReady(): Promise<void>;
}

export type WebhookHandler = (request: {
  rawBody: Uint8Array;
  signature: string | undefined;
}) => Promise<WebhookOutcome>;

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

  for (const [path, handleWebhook] of Object.entries(deps.webhooks)) {
    app.post(path, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers["x-line-signature"];
      const outcome = await handleWebhook({
        rawBody,
        signature: Array.isArray(signature) ? signature[0] : signature,
      });
      if (outcome.status === 200) {
        request.log.debug({ path, events: outcome.envelope.events.length }, "webhook accepted");
      } else {
        request.log.warn(
          { path, status: outcome.status, error: outcome.body.error },
          "webhook refused",
        );
      }
      return reply.code(outcome.status).send(outcome.body);
    });
  }

  app.get("/healthz", async () => ({ ok: true }));

  app.get("/readyz", async (request, reply) => {
    try {
      await deps.checkReady();
      return { ok: true };
    } catch (error) {
      request.log.warn({ err: error }, "not ready");
      return reply.code(503).send({ ok: false, error: "redis_unavailable" });
    }
  });

  return app;
}
