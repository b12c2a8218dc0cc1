import { defaults } from "../config.ts";
import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import { invalidBody, LineErrorResponse } from "../errors.ts";
import { isUuid, newRequestId } from "../ids.ts";
import { requestBodyError } from "../validation/validate-request.ts";
import type { Route, RouteResult } from "./route.ts";

export interface ApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | undefined;
}

/** The spec operation a request reached, as the router matched it. */
export interface MatchedRoute {
  route: Route;
  /** Path parameters by the spec's names, decoded. */
  params: Record<string, string>;
}

/** The header naming the operation on every answer to one of LINE's spec operations. */
export const OPERATION_HEADER = "x-linefleet-operation";

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

/** A push's scheduled time, from linefleet's header (not LINE's); undefined unless a number. */
function scheduledForOf(value: string | undefined): number | undefined {
  const at = Number(value);
  return value && Number.isFinite(at) ? at : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Which content types each body kind takes; the spec's `requestBody` decides the kind. */
const acceptedTypes = {
  json: ["application/json"],
  form: ["application/x-www-form-urlencoded"],
  multipart: ["multipart/form-data"],
  bytes: undefined,
} as const;

/**
 * `Basic base64(channelId:channelSecret)`, as the module-attach operation authenticates, or the
 * same pair as `client_id` and `client_secret` in its form body, which LINE also takes.
 */
function basicChannel(
  platform: Platform,
  authorization: string | undefined,
  rawBody: Buffer | undefined,
): EmulatedChannel | undefined {
  let id: string | null;
  let secret: string | null;
  if (authorization?.startsWith("Basic ")) {
    const decoded = Buffer.from(authorization.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    id = decoded.slice(0, colon);
    secret = decoded.slice(colon + 1);
  } else {
    const form = new URLSearchParams(rawBody?.toString("utf8") ?? "");
    id = form.get("client_id");
    secret = form.get("client_secret");
  }
  const channel = id ? platform.channels.byChannelId(id) : undefined;
  return channel && channel.channelSecret === secret ? channel : undefined;
}

/**
 * Adds the problems a route's own checks find to the validator's, so one answer names them all.
 * The validator's words stand on a property both report (they are LINE's documented ones).
 */
function withRouteChecks(
  invalid: LineErrorResponse,
  route: Route,
  body: unknown,
): LineErrorResponse {
  if (invalid.details.length === 0 || !route.checkBody) return invalid;
  try {
    route.checkBody(body);
  } catch (error) {
    if (!(error instanceof LineErrorResponse)) throw error;
    const reported = new Set(invalid.details.map((detail) => detail.property));
    const more = error.details.filter((detail) => !reported.has(detail.property));
    if (more.length > 0) return invalidBody([...invalid.details, ...more]);
  }
  return invalid;
}

/**
 * LINE's API surface in front of the route handlers: request ids, injected faults, bearer auth,
 * body limits, rate limits and retry keys, with every call logged for the control API.
 */
export function createApiHandler(platform: Platform) {
  return async function handleApiRequest(
    request: ApiRequest,
    found: MatchedRoute,
  ): Promise<ApiResponse> {
    const receivedAt = platform.now();
    const requestId = newRequestId();
    const method = request.method.toUpperCase();
    const route = found.route;
    const operationHeader = { [OPERATION_HEADER]: route.operationId };
    const retryKey = header(request, "x-line-retry-key");
    let parsedBody: unknown;
    let faultId: string | undefined;
    let channel: EmulatedChannel | undefined;

    const finish = (response: ApiResponse): ApiResponse => {
      platform.activity.addApiCall({
        id: requestId,
        method,
        path: request.path,
        operation: route.operationId,
        status: response.status,
        requestId,
        ...(retryKey ? { retryKey } : {}),
        ...(channel ? { channel: channel.name } : {}),
        // Images and audience files are logged by size and type, not byte by byte.
        body:
          parsedBody ??
          (request.rawBody?.length
            ? `<${request.rawBody.length} bytes ${header(request, "content-type") ?? ""}>`.trim()
            : null),
        response: Buffer.isBuffer(response.body)
          ? `<${response.body.length} bytes>`
          : response.body,
        // When LINE got the call, as LINE counts its rate limits, not when the answer was ready.
        at: receivedAt,
        ...(faultId ? { fault: faultId } : {}),
      });
      return response;
    };
    const json = (status: number, body: unknown, extraHeaders: Record<string, string> = {}) =>
      finish({
        status,
        headers: { "x-line-request-id": requestId, ...operationHeader, ...extraHeaders },
        body,
        contentType: "application/json",
      });
    const fail = (error: LineErrorResponse) => json(error.status, error.body());

    const fault = platform.faults.take(method, request.path, route.pattern);
    if (fault) {
      faultId = fault.id;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status !== undefined) {
        return json(fault.status, fault.body ?? { message: "Injected fault" }, fault.headers ?? {});
      }
    }

    const authorization = header(request, "authorization");
    if (route.auth === "basic") {
      channel = basicChannel(platform, authorization, request.rawBody);
      if (!channel) {
        return fail(
          new LineErrorResponse(
            401,
            "Authentication failed. Confirm the channel ID and channel secret of the module channel.",
          ),
        );
      }
    } else if (!authorization) {
      return fail(
        new LineErrorResponse(
          401,
          "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'",
        ),
      );
    }
    const bearer = authorization?.startsWith("Bearer ") ? authorization.slice(7) : "";
    const auth = channel
      ? ({ ok: true, channel } as const)
      : platform.accessTokens.authenticate(
          bearer,
          bearer ? platform.channels.byStaticToken(bearer) : undefined,
          platform.now(),
        );
    if (!auth.ok) {
      // An expired issued token is refused on every API, as at LINE.
      return fail(
        new LineErrorResponse(
          401,
          auth.reason === "expired"
            ? "Authentication failed due to the following reason: expired token. Confirm that the access token in the authorization header is valid."
            : "Authentication failed. Confirm that the access token in the authorization header is valid.",
        ),
      );
    }
    channel = auth.channel;

    const bodyKind = route.bodyKind ?? "json";
    const size = request.rawBody?.length ?? 0;
    const rawContentType = header(request, "content-type") ?? "";
    const contentType = rawContentType.toLowerCase();
    // Images and audience files have limits of their own, checked by their handlers.
    if (size > defaults.maxApiBodyBytes && (bodyKind === "json" || bodyKind === "form"))
      return fail(new LineErrorResponse(413, "Request Entity Too Large"));
    const accepted = acceptedTypes[bodyKind];
    if (size > 0 && accepted && !accepted.some((type) => contentType.startsWith(type))) {
      return fail(
        new LineErrorResponse(
          415,
          `The content type, ${rawContentType || "none"}, is not supported`,
        ),
      );
    }
    if (size > 0 && bodyKind === "form") {
      parsedBody = Object.fromEntries(new URLSearchParams(request.rawBody?.toString("utf8")));
    }
    if (size > 0 && bodyKind === "json") {
      try {
        parsedBody = JSON.parse(request.rawBody?.toString("utf8") ?? "");
      } catch {
        return fail(
          new LineErrorResponse(
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
      return fail(
        new LineErrorResponse(429, "The API rate limit has been exceeded. Try again later."),
      );
    }

    if (retryKey !== undefined) {
      if (!route.acceptsRetryKey) {
        return fail(
          new LineErrorResponse(400, "X-Line-Retry-Key header is not supported for this API"),
        );
      }
      if (!isUuid(retryKey)) {
        return fail(
          new LineErrorResponse(400, "The value of the X-Line-Retry-Key header is invalid"),
        );
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
    const invalid =
      bodyKind === "json" ? requestBodyError(route.operationId, parsedBody) : undefined;
    if (invalid) return fail(withRouteChecks(invalid, route, parsedBody));

    let result: RouteResult;
    try {
      result = await route.handle({
        platform,
        channel,
        params: found.params,
        query: request.query,
        body: parsedBody,
        rawBody: request.rawBody,
        contentType,
        requestId,
        scheduledFor: scheduledForOf(header(request, "x-linefleet-scheduled-for")),
      });
    } catch (error) {
      if (error instanceof LineErrorResponse) return fail(error);
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
      headers: { "x-line-request-id": requestId, ...operationHeader },
      body: result.body,
      contentType: result.contentType ?? "application/json",
    });
    return fault?.dropAfterAccept ? { ...response, drop: true } : response;
  };
}

export type ApiHandler = ReturnType<typeof createApiHandler>;
