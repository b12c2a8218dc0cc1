import { existsSync } from "node:fs";

/** Whether a Docker engine answers (the socket is there and testcontainers can talk to it). */
export async function dockerReachable(): Promise<boolean> {
  // Without a socket there is nothing to ask; loading testcontainers alone takes a while.
  if (!process.env.DOCKER_HOST && !existsSync("/var/run/docker.sock")) return false;
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * The dev stack's Redis in a container, on `port` of 127.0.0.1, for a machine with Docker and no
 * `redis-server`. testcontainers removes it when this process ends, however it ends.
 */
export async function startRedisContainer(port: number): Promise<{ stop(): Promise<void> }> {
  const { GenericContainer } = await import("testcontainers");
  const container = await new GenericContainer("redis:7-alpine")
    .withCommand(["redis-server", "--appendonly", "yes", "--maxmemory-policy", "noeviction"])
    .withExposedPorts({ container: 6379, host: port })
    .start();
  return { stop: () => container.stop().then(() => {}) };
}
