import { once } from "node:events";
import { startRedisCluster, type TestRedisCluster } from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertRedisKeepsKeys,
  createWorkerConnection,
  RedisMayEvictError,
  readEvictionPolicy,
} from "../src/index.ts";

describe("the eviction policy on a Redis Cluster", () => {
  let cluster: TestRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it("asks every master: one that may evict fails the check", async () => {
    const connection = createWorkerConnection({
      url: "redis://127.0.0.1",
      clusterNodes: cluster.nodes.map(({ port }) => ({ host: "127.0.0.1", port })),
    });
    try {
      await once(connection, "ready");
      expect(await readEvictionPolicy(connection)).toBe("noeviction");

      // Only the last master may evict: a check of one node picked at random would often miss it.
      const last = (await cluster.masters()).at(-1);
      if (!last) throw new Error("the cluster has no master");
      const node = new Redis(last.port, "127.0.0.1");
      try {
        await node.config("SET", "maxmemory-policy", "allkeys-lru");
      } finally {
        node.disconnect();
      }
      expect(await readEvictionPolicy(connection)).toBe("allkeys-lru");
      await expect(assertRedisKeepsKeys(connection, { allowEvicting: false })).rejects.toThrow(
        RedisMayEvictError,
      );
    } finally {
      connection.disconnect();
    }
  });
});
