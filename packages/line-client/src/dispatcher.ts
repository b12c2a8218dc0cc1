import { Agent, setGlobalDispatcher } from "undici";

interface LineDispatcherOptions {
  /** How long LINE may take to send a response's headers before the socket is dropped. */
  headersTimeoutMs: number;
  /** How long LINE may leave a response body idle before the socket is dropped. */
  bodyTimeoutMs: number;
  /** Sockets kept per LINE host. */
  connections?: number;
  /** How long an idle keep-alive socket stays open. */
  keepAliveTimeoutMs?: number;
}

/**
 * The HTTP pool every LINE call goes through: keep-alive sockets, and real network timeouts.
 * Without them a call linefleet has given up on keeps its socket open for minutes (undici's
 * default header timeout is 300 s), so a LINE that stops answering piles up sockets.
 */
function createLineDispatcher(options: LineDispatcherOptions): Agent {
  return new Agent({
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    connections: options.connections ?? 64,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connect: { timeout: Math.min(options.headersTimeoutMs, 10_000) },
  });
}

/**
 * Makes the LINE dispatcher the process's own: `@line/bot-sdk` calls the global `fetch` and
 * takes no dispatcher or signal, so the global dispatcher is the only way to give its calls
 * timeouts. Meant for processes that talk HTTP only to LINE (the workers).
 */
export function useLineDispatcher(options: LineDispatcherOptions): Agent {
  const agent = createLineDispatcher(options);
  setGlobalDispatcher(agent);
  return agent;
}
