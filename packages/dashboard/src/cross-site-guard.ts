import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Refuses the state-changing requests a page on another site can make a browser send without a
 * CORS preflight (which the dashboard never grants): a POST, or a body that is not JSON. Basic
 * auth alone does not stop them, since the browser adds the credentials it holds by itself.
 * The dashboard's own UI sends JSON bodies (add job, obliterate, …) and PUTs without a body
 * (retry, clean, pause, …); a PUT, PATCH or DELETE always needs a preflight cross-origin.
 */
export async function refuseCrossSiteWrites(request: FastifyRequest, reply: FastifyReply) {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") {
    return;
  }
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return;
  if (type === undefined && request.method !== "POST") return;
  return reply.code(415).send({
    statusCode: 415,
    error: "Unsupported Media Type",
    message:
      "the dashboard takes only Content-Type: application/json for requests that change state",
  });
}
