import Fastify from "fastify";
import type { OAuthHandler } from "../api/oauth.ts";
import type { ApiHandler } from "../api/pipeline.ts";
import type { RouteTableEntry } from "../api/spec/route-table.ts";
import type { Emulator } from "../emulator-types.ts";
import { newRequestId } from "../ids.ts";
import { registerMessagingApi } from "./api-adapter.ts";
import { registerControlApi } from "./control-routes.ts";
import { registerRequestGuard } from "./request-guard.ts";
import { registerStaticUi } from "./static-ui.ts";

/**
 * One HTTP server for all three faces: LINE's APIs at the root (both hosts, api.line.me and
 * api-data.line.me, and manager.line.biz's module attach), the control API, the chat UI.
 */
export function buildServer(deps: {
  emulator: Emulator;
  /** Every operation of LINE's specs, bound to its handler. */
  routeTable: readonly RouteTableEntry[];
  handleApiRequest: ApiHandler;
  handleOAuthRequest: OAuthHandler;
  uiDir: string;
  /** The host names (no port) the emulator answers to; any other `Host` is refused. */
  allowedHosts: () => ReadonlySet<string>;
}) {
  // SSE streams never end by themselves; closing must cut every connection.
  const app = Fastify({ forceCloseConnections: true, bodyLimit: 64 * 1024 * 1024 });

  // Bodies stay raw bytes: the API answers bad JSON the way LINE does, not the way Fastify does.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const message = status === 413 ? "Request Entity Too Large" : error.message;
    // Errors raised before a handler runs still carry LINE's request id header.
    return reply.code(status).header("x-line-request-id", newRequestId()).send({ message });
  });

  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).header("x-line-request-id", newRequestId()).send({ message: "Not found" }),
  );

  registerRequestGuard(app, deps.allowedHosts);
  registerMessagingApi(app, deps.routeTable, deps.handleApiRequest, deps.handleOAuthRequest);
  registerControlApi(app, deps.emulator);
  registerStaticUi(app, deps.uiDir);
  return app;
}
