import { createServer, type Server } from "node:http";
import { hasErrorCode, withTimeout } from "@linefleet/errors";
import type { Registry } from "prom-client";

export interface MetricsServerOptions {
  registry: Registry;
  port: number;
  host: string;
  /** Resolves when the process can do its work (Redis answers); rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  /** A readiness check slower than this fails. */
  readyTimeoutMs?: number;
  onNotReady?(error: unknown): void;
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
      withTimeout(options.checkReady(), options.readyTimeoutMs ?? 1_000, "readiness check").then(
        () => json(200, { ok: true }),
        (error: unknown) => {
          options.onNotReady?.(error);
          // Same answers as the ingress's /readyz; branch on the error's code, not its class, so
          // this package needs no queue import.
          if (hasErrorCode(error, "LF_REDIS_MAY_EVICT")) {
            return json(503, {
              ok: false,
              error: "redis_may_evict",
              reason: (error as Error).message,
            });
          }
          json(503, { ok: false, error: "redis_unavailable" });
        },
      );
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
