import type { FastifyInstance } from "fastify";
import type { ApiHandler } from "../api/pipeline.ts";

/** Maps Fastify requests under `/v2/` onto the framework-neutral API handler and back. */
export function registerMessagingApi(app: FastifyInstance, handleApiRequest: ApiHandler) {
  app.all("/v2/*", { bodyLimit: 16 * 1024 * 1024 }, async (request, reply) => {
    const url = new URL(request.url, "http://emulator");
    const response = await handleApiRequest({
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
  });
}
