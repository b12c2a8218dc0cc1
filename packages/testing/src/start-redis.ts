import { existsSync } from "node:fs";
import { startLocalRedisServer } from "./redis-server.ts";
import type { StartRedisOptions, TestRedis } from "./test-redis.ts";

/**
 * Starts Redis in a container when a Docker engine is reachable, else a local `redis-server`
 * (Debian's package) on a free port. Never a fake: BullMQ needs real Redis >= 6.2.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  if (await dockerEngineReachable()) {
    const { startRedisContainer } = await import("./redis-container.ts");
    return startRedisContainer(options);
  }
  return startLocalRedisServer(options);
}

async function dockerEngineReachable(): Promise<boolean> {
  if (process.env.LINEFLEET_TEST_REDIS === "local") return false;
  if (!process.env.DOCKER_HOST && !existsSync("/var/run/docker.sock")) return false;
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
