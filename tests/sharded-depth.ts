import { type QueueDashboardOptions, queueDashboard } from "@linefleet/dashboard";
import { createRegistry, registerQueueGauges } from "@linefleet/metrics";
import {
  createEventEnqueuer,
  createQueueDepthReader,
  type RedisConnection,
  type RedisKeys,
} from "@linefleet/store";
import { makeBotUserId, makeTextMessageEvent, readScrape } from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import Fastify from "fastify";
import { expect } from "vitest";

const credentials = { user: "operator", password: "dashboard-password" };

/**
 * Queues one event from each of `chats` chats into a sharded deployment where no worker runs, and
 * checks that the queue gauges and the dashboard both report every one of them, wherever the
 * layout put them. Returns the events queued per shard.
 */
export async function expectDepthOverShards(
  connection: RedisConnection,
  keys: RedisKeys,
  chats = 30,
): Promise<number[]> {
  const enqueuer = createEventEnqueuer({ connection, keys });
  const before = Date.now();
  try {
    const events = Array.from(
      { length: chats },
      (_, i) => makeTextMessageEvent(`m${i}`) as WebhookEvent,
    );
    expect(await enqueuer.enqueue(makeBotUserId(), events, before)).toEqual({
      enqueued: chats,
      duplicates: 0,
    });
  } finally {
    await enqueuer.close();
  }
  const perShard = await Promise.all(
    keys.layout.shards.map((shard) => connection.llen(keys.queueKey(shard, "wait"))),
  );

  // The gauges, as a worker's /metrics serves them.
  const registry = createRegistry();
  registerQueueGauges(registry, { readDepth: createQueueDepthReader(connection, keys) });
  const metrics = readScrape(await registry.metrics());
  expect(metrics.value("linefleet_queue_jobs", { state: "waiting" })).toBe(chats);
  expect(metrics.value("linefleet_queue_jobs", { state: "failed" })).toBe(0);
  const oldest = metrics.value("linefleet_queue_oldest_waiting_seconds");
  expect(oldest).toBeGreaterThan(0);
  expect(oldest).toBeLessThanOrEqual((Date.now() - before) / 1000 + 1);

  // The dashboard, as the ingress mounts it.
  const app = Fastify();
  const options: QueueDashboardOptions = { connection, keys, credentials };
  await app.register(queueDashboard, options);
  try {
    const authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
    const listed = await app.inject({
      url: "/admin/queues/api/queues",
      headers: { authorization },
    });
    expect(listed.statusCode).toBe(200);
    const { queues } = listed.json() as {
      queues: Array<{ name: string; counts: Record<string, number> }>;
    };
    // Every shard's queue, and the recurring jobs' queue.
    expect(queues.map((queue) => queue.name).sort()).toEqual(
      [
        ...keys.layout.shards.map((shard) => keys.layout.queueName(shard)),
        keys.recurringQueueName,
      ].sort(),
    );
    const shown = queues.reduce((sum, queue) => sum + (queue.counts.waiting ?? 0), 0);
    expect(shown).toBe(chats);
  } finally {
    await app.close();
  }
  return perShard;
}
