import { LineErrorResponse } from "../../errors.ts";
import type { BodyKind, Route } from "../route.ts";
import type { SpecOperation } from "./line-specs.ts";
import { notImplemented } from "./not-implemented.ts";

/**
 * What an operation does in the emulator: `stateful` keeps LINE's state (menus, audiences, chats),
 * `computed` reports statistics from the emulator's own traffic, `not-implemented` answers 501.
 */
type Behaviour = "stateful" | "computed" | "not-implemented";

export type RouteTableEntry =
  /** Served by the Messaging-API pipeline (bearer or basic auth, LINE's `{message}` errors). */
  | { operation: SpecOperation; serve: "api"; route: Route; behaviour: Behaviour }
  /** Served by the token endpoints' handler (form bodies, no bearer, OAuth-style errors). */
  | { operation: SpecOperation; serve: "oauth"; behaviour: Behaviour }
  /** Sent by the emulator, not served by it: the webhook call to the bot. */
  | { operation: SpecOperation; serve: "outbound"; behaviour: Behaviour };

export interface RouteTable {
  entries: RouteTableEntry[];
  /** Hand-written routes that disagree with the spec, and operations left without a handler. */
  problems: string[];
}

const OUTBOUND_SPECS = new Set(["webhook"]);

function bodyKindOf(operation: SpecOperation): BodyKind {
  const requestBody = operation.definition.requestBody as
    | { content?: Record<string, unknown> }
    | undefined;
  const types = Object.keys(requestBody?.content ?? {});
  if (types.includes("application/json") || types.length === 0) return "json";
  if (types.includes("multipart/form-data")) return "multipart";
  if (types.includes("application/x-www-form-urlencoded")) return "form";
  return "bytes";
}

function authOf(operation: SpecOperation): "bearer" | "basic" {
  return operation.security.some((scheme) => "basicAuth" in scheme) ? "basic" : "bearer";
}

/** LINE's error shape, naming the operation; `501` for what the emulator does not play. */
function unanswered(operation: SpecOperation, reason: string): Route {
  return {
    operationId: operation.operationId,
    method: operation.method as Route["method"],
    pattern: operation.path,
    handle() {
      throw new LineErrorResponse(
        501,
        `The emulator does not implement ${operation.operationId} (${operation.method} ${operation.path}): ${reason}`,
      );
    },
  };
}

/**
 * Binds every operation of the specs to its handler by operationId. A hand-written route must name
 * an operation of the specs with the same method and path; an operation nobody handles still gets
 * a route (a `501` saying so) and is reported in `problems`, which the coverage test keeps empty.
 */
export function buildRouteTable(input: {
  operations: readonly SpecOperation[];
  routes: readonly Route[];
  /** `METHOD /path` of each operation the token endpoints' handler serves. */
  oauthOperations: ReadonlySet<string>;
}): RouteTable {
  const problems: string[] = [];
  const byId = new Map<string, Route>();
  for (const route of input.routes) {
    if (byId.has(route.operationId)) problems.push(`${route.operationId} is handled twice`);
    byId.set(route.operationId, route);
  }
  const known = new Set(input.operations.map((operation) => operation.operationId));
  for (const id of byId.keys()) {
    if (!known.has(id)) problems.push(`${id} is handled but is no operation of the specs`);
  }

  const entries = input.operations.map((operation): RouteTableEntry => {
    if (OUTBOUND_SPECS.has(operation.spec)) {
      return { operation, serve: "outbound", behaviour: "stateful" };
    }
    if (input.oauthOperations.has(`${operation.method} ${operation.path}`)) {
      return { operation, serve: "oauth", behaviour: "stateful" };
    }
    const route = byId.get(operation.operationId);
    const reason = notImplemented[operation.operationId];
    if (route && reason !== undefined) {
      problems.push(`${operation.operationId} has a handler and is listed as not implemented`);
    }
    if (route) {
      if (route.method !== operation.method || route.pattern !== operation.path) {
        problems.push(
          `${operation.operationId}: handler says ${route.method} ${route.pattern}, the spec ${operation.method} ${operation.path}`,
        );
      }
      return {
        operation,
        serve: "api",
        route: { ...route, operation, bodyKind: bodyKindOf(operation), auth: authOf(operation) },
        behaviour: route.behaviour ?? "stateful",
      };
    }
    if (reason === undefined) problems.push(`${operation.operationId} has no handler`);
    return {
      operation,
      serve: "api",
      route: {
        ...unanswered(operation, reason ?? "not emulated yet"),
        operation,
        bodyKind: bodyKindOf(operation),
        auth: authOf(operation),
      },
      behaviour: "not-implemented",
    };
  });
  return { entries, problems };
}

/** Fastify's path syntax for a spec path: `{richMenuId}` becomes `:richMenuId`. */
export function fastifyPath(specPath: string): string {
  return specPath.replace(/\{(\w+)\}/g, ":$1");
}
