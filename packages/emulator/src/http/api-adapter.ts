import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiHandler } from "../api/pipeline.ts";

/**
 * Maps Fastify requests under `/v2/` onto the framework-neutral API handler and back; the
 * token endpoints (`/oauth2/`, `/v2/oauth/`) onto their own handler, which needs no bearer.
 */
export function registerMessagingApi(
  app: FastifyInstance,
  handleApiRequest: ApiHandler,
  handleOAuthRequest: ApiHandler,
) {
  const serve = (handle: ApiHandler) => async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, "http://emulator");
    const response = await handle({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      rawBody: Buffer.isBuffer(request.body) ? request.body : undefined,
    });
    if (response.drop) {
      // The request was carried out; the client sees the connection die before any answer.
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    reply.code(response.status).headers(response.headers).type(response.contentType);
    return reply.send(
      Buffer.isBuffer(response.body) ? response.body : JSON.stringify(response.body),
    );
  };
  app.all("/v2/*", { bodyLimit: 16 * 1024 * 1024 }, serve(handleApiRequest));
  app.all("/v2/oauth/*", serve(handleOAuthRequest));
  app.all("/oauth2/*", serve(handleOAuthRequest));
}
