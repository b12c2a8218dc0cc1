import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import { answerReadiness, type ReadinessOptions } from "./readiness.ts";

export interface MetricsServerOptions {
  registry: Registry;
  port: number;
  host: string;
  /** Resolves when the process can do its work (Redis answers); rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  /** A readiness check slower than this fails. */
  readyTimeoutMs?: number;
  /** Where a failed readiness check is logged (see answerReadiness). */
  logger?: ReadinessOptions["logger"];
  onNotReady?(error: unknown): void;
  /** The ingress's: why its spool cannot take requests now, told when Redis is away too. */
  spoolProblem?(): string | undefined;
}

/**
 * The worker's own small HTTP server: `GET /metrics`, `/healthz` and `/readyz`. Plain node:http,
 * since three fixed GET routes need no framework and the worker has no other HTTP surface.
 */
export async function serveMetrics(options: MetricsServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const json = (status: number, body: object) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET" && request.method !== "HEAD") return json(405, { ok: false });
    if (path === "/healthz") return json(200, { ok: true });
    if (path === "/readyz") {
      answerReadiness({
        checkReady: options.checkReady,
        timeoutMs: options.readyTimeoutMs,
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.onNotReady ? { onNotReady: options.onNotReady } : {}),
        ...(options.spoolProblem ? { spoolProblem: options.spoolProblem } : {}),
      }).then(({ status, body }) => json(status, body));
      return;
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => {
          response.writeHead(200, { "content-type": options.registry.contentType });
          response.end(text);
        },
        () => json(500, { ok: false, error: "metrics_unavailable" }),
      );
      return;
    }
    json(404, { ok: false, error: "not_found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
