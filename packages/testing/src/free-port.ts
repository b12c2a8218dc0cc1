import { createServer } from "node:net";

/**
 * A TCP port that was free a moment ago on 127.0.0.1. Racy by nature: another process may take
 * it before it is used. Only for a process that must be told its port before it starts (a
 * `redis-server`, a container, an app that is restarted on the same port); start it through
 * `onFreePort`, which tries another port when that happens. A server we start in this process
 * listens on port 0 instead.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

/** `start` found its port taken (between freePort's probe and its own bind). */
export class PortTakenError extends Error {
  constructor(port: number, detail: string) {
    super(`port ${port} was taken: ${detail}`);
    this.name = "PortTakenError";
  }
}

/**
 * Starts something on a free port, and on another one if `start` finds it taken (it throws a
 * PortTakenError): the port finder cannot reserve the port it hands out.
 */
export async function onFreePort<T>(
  start: (port: number) => Promise<T>,
  { attempts = 5 } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}

/** Whether a process's output says its port was in use. */
export const saysPortInUse = (output: string) => /EADDRINUSE|address already in use/i.test(output);
