import { lineEventsQueue } from "@linefleet/queue";
import { Queue } from "bullmq";
import { Redis } from "ioredis";

/**
 * Whether the stack's queue holds no event waiting, delayed or running: the terminal signal that
 * nothing more will be answered, so "exactly once" can be checked without sleeping.
 */
export async function queueIsIdle(redisUrl: string, prefix: string): Promise<boolean> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(lineEventsQueue.name, { connection, prefix });
  try {
    const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    return Object.values(counts).every((count) => count === 0);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
