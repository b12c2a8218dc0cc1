import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { onFreePort, PortTakenError, saysPortInUse } from "../src/free-port.ts";

describe("onFreePort", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  const listen = async (port: number) => {
    const server = createServer();
    servers.push(server);
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    return server;
  };

  it("starts on another port when the one probed was taken before the start bound it", async () => {
    const tried: number[] = [];
    const server = await onFreePort(async (port) => {
      tried.push(port);
      // Someone else binds the port between the probe and the start, the first time round.
      if (tried.length === 1) await listen(port);
      try {
        return await listen(port);
      } catch (error) {
        if (saysPortInUse(String(error))) throw new PortTakenError(port, String(error));
        throw error;
      }
    });
    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toBe(tried[0]);
    expect((server.address() as { port: number }).port).toBe(tried[1]);
  });

  it("gives up after its attempts, and passes any other failure through at once", async () => {
    let calls = 0;
    await expect(
      onFreePort(
        async (port) => {
          calls++;
          throw new PortTakenError(port, "taken");
        },
        { attempts: 3 },
      ),
    ).rejects.toBeInstanceOf(PortTakenError);
    expect(calls).toBe(3);
    const other = new Error("no such binary");
    await expect(onFreePort(async () => Promise.reject(other))).rejects.toBe(other);
  });
});
