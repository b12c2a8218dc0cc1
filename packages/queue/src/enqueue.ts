import type { WebhookEvent } from "@linefleet/webhook";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { type LineEventJob, lineEventsQueue } from "./catalog.ts";

export interface EventEnqueuer {
  /** Resolves once every event is durably in Redis, new or already there (a redelivery). */
  enqueue(destination: string, events: readonly WebhookEvent[], receivedAt: number): Promise<void>;
  close(): Promise<void>;
}

export interface EventEnqueuerOptions {
  connection: Redis;
  prefix: string;
}

/**
 * Admits webhook events into the queue. Each event's dedupe mark and its job are written by one
 * Redis script (BullMQ's deduplication), so an event is never marked without being queued nor
 * queued twice; all events of a request go in one round trip.
 */
export function createEventEnqueuer({ connection, prefix }: EventEnqueuerOptions): EventEnqueuer {
  const queue = new Queue<LineEventJob>(lineEventsQueue.name, {
    connection,
    prefix,
    defaultJobOptions: lineEventsQueue.jobOptions,
  });
  // Queue errors surface through the failing call; this only keeps them from being unhandled.
  queue.on("error", () => {});

  return {
    async enqueue(destination, events, receivedAt) {
      if (events.length === 0) return;
      await queue.addBulk(
        events.map((event) => ({
          name: event.type,
          data: { destination, event, receivedAt },
          opts: {
            deduplication: { id: event.webhookEventId, ttl: lineEventsQueue.dedupeTtlMs },
          },
        })),
      );
    },
    close: () => queue.close(),
  };
}
