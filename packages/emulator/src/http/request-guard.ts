import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errorCodes } from "../errors.ts";

/** Names every emulator answers to, whatever it was told: the loopback names. */
export const loopbackHostNames = ["localhost", "127.0.0.1", "[::1]"] as const;

const readOnlyMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host name of a `Host` or `Origin` host part, lower-cased, port removed (`[::1]` kept in brackets). */
function hostNameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** `Origin` is same-origin when it names exactly the host (and port) the request was sent to. */
function sameOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" && url.host.toLowerCase() === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

function isJson(request: FastifyRequest): boolean {
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

function refuse(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).type("application/json").send({ code, message });
}

/**
 * Keeps web pages away from the emulator. It signs webhooks with the channel secret for whoever
 * asks, so a page on another origin must not be able to make it do so:
 *
 * - a `Host` it does not answer to is refused with 421, whatever the route: a DNS-rebinding page
 *   reaches the emulator under its own host name, and must not read or change anything;
 * - a state-changing request whose `Origin` is not the emulator's own is refused with 403;
 * - a state-changing control-API request must be `application/json` (415 otherwise): a
 *   cross-origin page can only send JSON after a CORS preflight, which is never granted (the
 *   emulator sends no CORS headers at all).
 *
 * LINE's own surface (`/v2/*`, `/oauth2/*`) keeps its content types (form bodies, blobs); bots
 * send no `Origin` and use a host name from the allow-list.
 */
export function registerRequestGuard(
  app: FastifyInstance,
  allowedHosts: () => ReadonlySet<string>,
) {
  app.addHook("onRequest", async (request, reply) => {
    // Node refuses an HTTP/1.1 request without Host; one without it comes from no browser.
    const host = request.headers.host;
    if (host !== undefined) {
      const name = hostNameOf(host);
      if (!name || !allowedHosts().has(name)) {
        return refuse(
          reply,
          421,
          errorCodes.hostNotAllowed,
          `this emulator does not answer to the host name '${name ?? host}'; allowed: ${[...allowedHosts()].join(", ")} (add names with EMULATOR_ALLOWED_HOSTS)`,
        );
      }
    }
    if (readOnlyMethods.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined && !(host !== undefined && sameOrigin(origin, host))) {
      return refuse(
        reply,
        403,
        errorCodes.crossOrigin,
        `requests from another origin (${origin}) may not change the emulator`,
      );
    }
    if (request.url.startsWith("/emulator/") && !isJson(request)) {
      return refuse(
        reply,
        415,
        errorCodes.notJson,
        "the control API takes only Content-Type: application/json for requests that change state",
      );
    }
  });
}
