import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface ScriptedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface LineRecorderOptions {
  /** Default 0: a free port. */
  port?: number;
}

/**
 * A plain HTTP server standing in for LINE's API, for tests and benchmarks: it records every call
 * and answers like LINE does on success, unless a test scripted other answers for a path. For
 * LINE's full behaviour (expiring tokens, retry keys, webhooks) use the emulator instead.
 */
export async function startLineRecorder({ port: wanted = 0 }: LineRecorderOptions = {}) {
  const calls: RecordedCall[] = [];
  const scripts = new Map<string, ScriptedAnswer[]>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      const answer = scripts.get(path)?.shift() ?? {
        status: 200,
        body: { sentMessages: [{ id: String(Date.now()), quoteToken: randomUUID() }] },
      };
      calls.push({
        method: request.method ?? "GET",
        path,
        headers: request.headers,
        body,
        status: answer.status,
      });
      response.writeHead(answer.status, {
        "content-type": "application/json",
        "x-line-request-id": randomUUID(),
        ...answer.headers,
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(wanted, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (path: string) => calls.filter((call) => call.path === path),
    /** The next calls to `path` get these answers, in order; later calls succeed again. */
    script(path: string, ...answers: ScriptedAnswer[]) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type LineRecorder = Awaited<ReturnType<typeof startLineRecorder>>;
