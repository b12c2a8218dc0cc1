import {
  createWorkerConnection,
  openEventsQueue,
  type RedisTarget,
  recordedKeys,
  redisKeys,
} from "@linefleet/store";

export interface QueueStateOptions {
  /** QUEUE_SHARDS of the stack (default: the count the deployment recorded when it started). */
  shards?: number;
}

/**
 * Whether the stack's queue (every shard of it) holds no event waiting, delayed or running: the
 * terminal signal that nothing more will be answered, so "exactly once" can be checked without
 * sleeping.
 */
export async function queueIsIdle(
  target: RedisTarget | string,
  prefix: string,
  { shards }: QueueStateOptions = {},
): Promise<boolean> {
  const cluster = typeof target !== "string" && Boolean(target.clusterNodes?.length);
  const connection = createWorkerConnection(target);
  connection.on("error", () => {});
  try {
    const { layout } =
      shards === undefined
        ? await recordedKeys(connection, prefix, { cluster })
        : redisKeys(prefix, { shards, cluster });
    const queues = layout.shards.map((shard) =>
      openEventsQueue(layout.queueName(shard), { connection, prefix }),
    );
    try {
      const counts = await Promise.all(
        queues.map((queue) => queue.getJobCounts("waiting", "active", "delayed", "prioritized")),
      );
      return counts.every((count) => Object.values(count).every((n) => n === 0));
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
    }
  } finally {
    connection.disconnect();
  }
}
