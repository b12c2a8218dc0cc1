import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { OAuthHandler } from "../api/oauth.ts";
import type { ApiHandler, ApiRequest, ApiResponse } from "../api/pipeline.ts";
import { fastifyPath, type RouteTableEntry } from "../api/spec/route-table.ts";

function apiRequest(request: FastifyRequest): ApiRequest {
  const url = new URL(request.url, "http://emulator");
  return {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    rawBody: Buffer.isBuffer(request.body) ? request.body : undefined,
  };
}

function send(request: FastifyRequest, reply: FastifyReply, response: ApiResponse) {
  if (response.drop) {
    // The request was carried out; the client sees the connection die before any answer.
    reply.hijack();
    request.raw.socket.destroy();
    return;
  }
  reply.code(response.status).headers(response.headers).type(response.contentType);
  return reply.send(Buffer.isBuffer(response.body) ? response.body : JSON.stringify(response.body));
}

/**
 * One Fastify route per operation of LINE's specs, mapped onto the framework-neutral handlers and
 * back: the token endpoints onto their own handler (no bearer), the rest onto the API pipeline.
 * A path that is no operation falls through to the server's 404.
 */
export function registerMessagingApi(
  app: FastifyInstance,
  table: readonly RouteTableEntry[],
  handleApiRequest: ApiHandler,
  handleOAuthRequest: OAuthHandler,
) {
  for (const entry of table) {
    if (entry.serve === "outbound") continue;
    const { operation } = entry;
    app.route({
      method: operation.method,
      url: fastifyPath(operation.path),
      // Rich menu images and audience files are larger than JSON bodies; handlers check limits.
      bodyLimit: 16 * 1024 * 1024,
      // HEAD is not an operation of LINE's APIs.
      exposeHeadRoute: false,
      handler: async (request, reply) => {
        const params = request.params as Record<string, string>;
        const response =
          entry.serve === "oauth"
            ? await handleOAuthRequest(apiRequest(request), operation.operationId)
            : await handleApiRequest(apiRequest(request), { route: entry.route, params });
        return send(request, reply, response);
      },
    });
  }
}
