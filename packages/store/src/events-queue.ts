import { Queue, type QueueOptions } from "bullmq";
import { type LineEventJob, lineEventsQueue } from "./catalog.ts";
import type { RedisConnection } from "./connection.ts";

/**
 * Opens one shard's events queue. Every `Queue` opened on it must be opened here: each writes its
 * events stream's limit (`lineEventsQueue.streams`) into the queue's meta, and one opened with
 * BullMQ's default would put the 10,000-entry stream back.
 */
export function openEventsQueue(
  queueName: string,
  { connection, prefix }: { connection: RedisConnection; prefix: string },
  options: Pick<QueueOptions, "defaultJobOptions"> = {},
): Queue<LineEventJob> {
  const queue = new Queue<LineEventJob>(queueName, {
    connection,
    prefix,
    streams: lineEventsQueue.streams,
    ...options,
  });
  // Queue errors surface through the failing call; this only keeps them from being unhandled.
  queue.on("error", () => {});
  return queue;
}
