import { GenericContainer, type StartedTestContainer } from "testcontainers";
import { freePort } from "./free-port.ts";
import type { StartRedisOptions, TestRedis } from "./test-redis.ts";

/** Redis in a container, bound to a fixed host port so a restarted container keeps its URL. */
export async function startRedisContainer(options: StartRedisOptions): Promise<TestRedis> {
  const port = await freePort();
  const command = ["redis-server", "--maxmemory-policy", "noeviction"];
  if (options.appendOnly) command.push("--appendonly", "yes", "--appendfsync", "always");
  let container: StartedTestContainer | undefined;

  async function start() {
    container = await new GenericContainer("redis:7-alpine")
      .withCommand(command)
      .withExposedPorts({ container: 6379, host: port })
      .start();
  }
  await start();

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start: async () => {
      if (container) await container.restart();
      else await start();
    },
    stop: async () => {
      // A stopped (not removed) container keeps its AOF for the restart.
      await container?.stop({ remove: false });
    },
    close: async () => {
      await container?.stop({ remove: true });
      container = undefined;
    },
  };
}
