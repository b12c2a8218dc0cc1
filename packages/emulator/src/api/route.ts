import type { EmulatedChannel } from "../core/channels.ts";
import type { AcceptedMessage, Platform } from "../core/platform.ts";

interface RouteContext {
  platform: Platform;
  /** The channel whose access token authenticated the call. */
  channel: EmulatedChannel;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined for requests without one. */
  body: unknown;
  requestId: string;
}

export interface RouteResult {
  status?: number;
  /** JSON, or raw bytes for the data API. */
  body: unknown;
  contentType?: string;
  /** Push's `sentMessages`, remembered with an accepted retry key for the 409 answer. */
  sentMessages?: AcceptedMessage[];
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** LINE's path with `{param}` placeholders; also the key for rate limits and faults. */
  pattern: string;
  /** Only push, multicast, narrowcast and broadcast accept `X-Line-Retry-Key`. */
  acceptsRetryKey?: boolean;
  handle(context: RouteContext): RouteResult | Promise<RouteResult>;
}

export interface CompiledRoute {
  route: Route;
  match(method: string, path: string): Record<string, string> | undefined;
}

export function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const regex = new RegExp(`^${source}$`);
  return {
    route,
    match(method, path) {
      if (method !== route.method) return undefined;
      const found = regex.exec(path);
      if (!found) return undefined;
      return Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? "")]),
      );
    },
  };
}
