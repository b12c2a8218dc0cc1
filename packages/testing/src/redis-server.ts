import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { onFreePort, PortTakenError, saysPortInUse } from "./free-port.ts";
import type { StartRedisOptions, TestRedis } from "./test-redis.ts";
import { waitFor } from "./wait-for.ts";

export interface LocalRedisOptions extends StartRedisOptions {
  /** Start as a replica of this (local) Redis: `replicaof 127.0.0.1 <its port>`. */
  replicaOf?: TestRedis;
}

/** A local `redis-server`, which a test may also freeze, as a stalled or partitioned node. */
export interface LocalTestRedis extends TestRedis {
  /** SIGSTOP: the process holds its connections but answers nothing (a replica then lags). */
  freeze(): void;
  /** SIGCONT: it carries on where it stopped. */
  thaw(): void;
}

export async function startLocalRedisServer(
  options: LocalRedisOptions = {},
): Promise<LocalTestRedis> {
  const dir = await mkdtemp(join(tmpdir(), "linefleet-redis-"));
  // redis-server takes its port up front: on a port taken since it was probed, try another.
  return onFreePort((port) => serveRedis(port, dir, options));
}

async function serveRedis(
  port: number,
  dir: string,
  options: LocalRedisOptions,
): Promise<LocalTestRedis> {
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    options.appendOnly ? "yes" : "no",
    "--appendfsync",
    "always",
    "--maxmemory-policy",
    "noeviction",
    ...(options.replicaOf ? ["--replicaof", "127.0.0.1", String(options.replicaOf.port)] : []),
  ];

  async function start() {
    const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk;
    };
    proc.stdout.on("data", collect);
    proc.stderr.on("data", collect);
    const exited = new Promise<never>((_, reject) =>
      proc.once("exit", (code) =>
        reject(
          saysPortInUse(output)
            ? new PortTakenError(port, "redis-server could not bind it")
            : new Error(`redis-server exited with ${code}: ${output}`),
        ),
      ),
    );
    exited.catch(() => {});
    proc.once("error", () => {});
    await Promise.race([exited, waitFor(() => ping(url), { what: `redis-server on ${port}` })]);
    // Past the start, its log is not needed: stop collecting it.
    proc.stdout.off("data", collect).resume();
    proc.stderr.off("data", collect).resume();
  }

  async function stop() {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    // A frozen server would never act on SIGTERM.
    proc.kill("SIGCONT");
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  }

  await start();
  return {
    url,
    port,
    start,
    stop,
    freeze() {
      child?.kill("SIGSTOP");
    },
    thaw() {
      child?.kill("SIGCONT");
    },
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
