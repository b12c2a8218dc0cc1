import { defaults } from "../config.ts";
import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import { LineApiError } from "../errors.ts";
import { isUuid, newRequestId } from "../ids.ts";
import { specValidators } from "../validation/spec-validators.ts";
import { requestBodyError } from "../validation/validate-request.ts";
import { type CompiledRoute, compileRoute, type Route, type RouteResult } from "./route.ts";

export interface ApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | undefined;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON value, or raw bytes when `contentType` is set. */
  body: unknown;
  contentType: string;
  /** "Accepted, then the connection dropped": the transport destroys the socket, unanswered. */
  drop?: boolean;
}

const header = (request: ApiRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * LINE's API surface in front of the route handlers: request ids, injected faults, bearer auth,
 * body limits, rate limits and retry keys, with every call logged for the control API.
 */
export function createApiHandler(platform: Platform, routes: readonly Route[]) {
  const compiled = routes.map(compileRoute);

  function find(
    method: string,
    path: string,
  ): { entry: CompiledRoute; params: Record<string, string> } | undefined {
    for (const entry of compiled) {
      const params = entry.match(method, path);
      if (params) return { entry, params };
    }
    return undefined;
  }

  return async function handleApiRequest(request: ApiRequest): Promise<ApiResponse> {
    const requestId = newRequestId();
    const method = request.method.toUpperCase();
    const found = find(method, request.path);
    const route = found?.entry.route;
    const retryKey = header(request, "x-line-retry-key");
    let parsedBody: unknown;
    let faultId: string | undefined;
    let channel: EmulatedChannel | undefined;

    const finish = (response: ApiResponse): ApiResponse => {
      platform.activity.addApiCall({
        id: requestId,
        method,
        path: request.path,
        status: response.status,
        requestId,
        ...(retryKey ? { retryKey } : {}),
        ...(channel ? { channel: channel.name } : {}),
        body: parsedBody ?? null,
        response: Buffer.isBuffer(response.body)
          ? `<${response.body.length} bytes>`
          : response.body,
        at: platform.now(),
        ...(faultId ? { fault: faultId } : {}),
      });
      return response;
    };
    const json = (status: number, body: unknown, extraHeaders: Record<string, string> = {}) =>
      finish({
        status,
        headers: { "x-line-request-id": requestId, ...extraHeaders },
        body,
        contentType: "application/json",
      });
    const fail = (error: LineApiError) => json(error.status, error.body());

    const fault = platform.faults.take(method, request.path, route?.pattern);
    if (fault) {
      faultId = fault.id;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status !== undefined) {
        return json(fault.status, fault.body ?? { message: "Injected fault" }, fault.headers ?? {});
      }
    }

    const authorization = header(request, "authorization");
    if (!authorization) {
      return fail(
        new LineApiError(
          401,
          "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'",
        ),
      );
    }
    const bearer = authorization.startsWith("Bearer ") ? authorization.slice(7) : "";
    const auth = platform.accessTokens.authenticate(
      bearer,
      bearer ? platform.channels.byStaticToken(bearer) : undefined,
      platform.now(),
    );
    if (!auth.ok) {
      // An expired issued token is refused on every API, as at LINE.
      return fail(
        new LineApiError(
          401,
          auth.reason === "expired"
            ? "Authentication failed due to the following reason: expired token. Confirm that the access token in the authorization header is valid."
            : "Authentication failed. Confirm that the access token in the authorization header is valid.",
        ),
      );
    }
    channel = auth.channel;
    if (!found || !route) return fail(new LineApiError(404, "Not found"));

    const size = request.rawBody?.length ?? 0;
    if (size > defaults.maxApiBodyBytes)
      return fail(new LineApiError(413, "Request Entity Too Large"));
    if (size > 0) {
      const contentType = header(request, "content-type") ?? "";
      if (!contentType.toLowerCase().startsWith("application/json")) {
        return fail(
          new LineApiError(415, `The content type, ${contentType || "none"}, is not supported`),
        );
      }
      try {
        parsedBody = JSON.parse(request.rawBody?.toString("utf8") ?? "");
      } catch {
        return fail(
          new LineApiError(
            400,
            "The request body could not be parsed as JSON (line: 1, column: 1)",
          ),
        );
      }
    }

    const perSecond =
      platform.config.rateLimits[route.pattern] ?? platform.config.rateLimits[request.path];
    if (
      perSecond !== undefined &&
      !platform.rateLimiter.take(`${method} ${route.pattern}`, perSecond, platform.now())
    ) {
      return fail(new LineApiError(429, "The API rate limit has been exceeded. Try again later."));
    }

    if (retryKey !== undefined) {
      if (!route.acceptsRetryKey) {
        return fail(new LineApiError(400, "X-Line-Retry-Key header is not supported for this API"));
      }
      if (!isUuid(retryKey)) {
        return fail(new LineApiError(400, "The value of the X-Line-Retry-Key header is invalid"));
      }
      const accepted = platform.retryKeys.find(retryKey, platform.now());
      if (accepted) {
        return json(
          409,
          {
            message: "The retry key is already accepted",
            ...(accepted.sentMessages ? { sentMessages: accepted.sentMessages } : {}),
          },
          { "x-line-accepted-request-id": accepted.requestId },
        );
      }
    }

    // Every operation of LINE's spec that takes a JSON body is validated as LINE validates it.
    const operationId = specValidators().operationIdFor(method, route.pattern);
    const invalid = operationId ? requestBodyError(operationId, parsedBody) : undefined;
    if (invalid) return fail(invalid);

    let result: RouteResult;
    try {
      result = await route.handle({
        platform,
        channel,
        params: found.params,
        query: request.query,
        body: parsedBody,
        requestId,
      });
    } catch (error) {
      if (error instanceof LineApiError) return fail(error);
      throw error;
    }
    const status = result.status ?? 200;
    if (retryKey && status >= 200 && status < 300) {
      platform.retryKeys.accept(retryKey, {
        requestId,
        acceptedAt: platform.now(),
        ...(result.sentMessages ? { sentMessages: result.sentMessages } : {}),
      });
    }
    const response = finish({
      status,
      headers: { "x-line-request-id": requestId },
      body: result.body,
      contentType: result.contentType ?? "application/json",
    });
    return fault?.dropAfterAccept ? { ...response, drop: true } : response;
  };
}

export type ApiHandler = ReturnType<typeof createApiHandler>;
