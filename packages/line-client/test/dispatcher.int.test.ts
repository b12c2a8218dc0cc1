import { createServer, type Server, type Socket } from "node:net";
import { waitFor } from "@linefleet/test-support";
import { type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLineClient, LineApiError, useLineDispatcher } from "../src/index.ts";

/** A LINE that accepts connections, reads the requests and never answers. */
async function startSilentLine() {
  const open = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    open.add(socket);
    socket.on("data", () => {});
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    openSockets: () => open.size,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const text = (value: string) => [{ type: "text" as const, text: value }];

describe("LINE calls through the LINE dispatcher", () => {
  let previous: Dispatcher;
  let line: Awaited<ReturnType<typeof startSilentLine>>;
  beforeEach(async () => {
    previous = getGlobalDispatcher();
    line = await startSilentLine();
  });
  afterEach(async () => {
    setGlobalDispatcher(previous);
    await line.close();
  });

  it("drops the socket of every call LINE never answers, instead of keeping it for minutes", async () => {
    const agent = useLineDispatcher({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
    const client = createLineClient({
      channelAccessToken: "token",
      apiBaseUrl: line.url,
      timeoutMs: 300,
    });
    for (let round = 0; round < 3; round++) {
      const calls = Array.from({ length: 5 }, (_, i) =>
        client.push("U1", text(`m${round}-${i}`), `00000000-0000-4000-8000-00000000000${i}`),
      );
      for (const outcome of await Promise.allSettled(calls)) {
        expect(outcome.status).toBe("rejected");
        const error = (outcome as PromiseRejectedResult).reason;
        expect(error).toBeInstanceOf(LineApiError);
        expect((error as LineApiError).outcome).toBe("unknown");
      }
      // Each abandoned call's socket is closed, so none carries over into the next round.
      await waitFor(() => line.openSockets() === 0, { timeoutMs: 5_000, what: "sockets closed" });
    }
    expect(line.accepted()).toBe(15);
    await agent.close();
  });

  it("(control) without it, the sockets of abandoned calls stay open", async () => {
    const client = createLineClient({
      channelAccessToken: "token",
      apiBaseUrl: line.url,
      timeoutMs: 300,
    });
    const calls = Array.from({ length: 5 }, (_, i) => client.push("U1", text(`m${i}`), `k${i}`));
    await Promise.allSettled(calls);
    expect(line.openSockets()).toBe(5);
  });
});
