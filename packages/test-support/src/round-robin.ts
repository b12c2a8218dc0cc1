import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobin {
  /** Where to send requests; each goes to the next target in turn. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A minimal load balancer for tests with several ingresses behind one webhook URL: each request
 * is forwarded whole to the next target, and its answer (or a 502 when the target is down, as a
 * real balancer would say) goes back to the sender.
 */
export async function startRoundRobin(targets: readonly string[]): Promise<RoundRobin> {
  let next = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const target = targets[next++ % targets.length];
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === "string" &&
            !["host", "connection", "content-length"].includes(entry[0]),
        ),
      );
      fetch(`${target}${request.url ?? "/"}`, {
        method: request.method ?? "POST",
        headers,
        body: request.method === "GET" ? undefined : Buffer.concat(chunks),
      }).then(
        async (answer) => {
          response.writeHead(answer.status, {
            "content-type": answer.headers.get("content-type") ?? "application/json",
          });
          response.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => {
          response.writeHead(502);
          response.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
