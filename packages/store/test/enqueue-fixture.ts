import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { makeTextMessageEvent, makeUserId } from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Redis } from "ioredis";
import { afterEach, inject } from "vitest";
import {
  createEventEnqueuer,
  createProducerConnection,
  type EventEnqueuerOptions,
  jobIdFor,
  type RedisKeys,
  redisKeys,
} from "../src/index.ts";

/** What a test opened, closed after it, last opened first. Call at the top of a `describe`. */
export function closedAfterEach(): Array<() => Promise<unknown> | unknown> {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return closers;
}

/** A text event in a chat of its own, or of `userId`, at `timestamp` (default: now). */
export function chatEvent(
  text: string,
  { userId = makeUserId(), timestamp }: { userId?: string; timestamp?: number } = {},
): WebhookEvent {
  return makeTextMessageEvent(text, {
    source: { type: "user", userId },
    ...(timestamp === undefined ? {} : { timestamp }),
  }) as unknown as WebhookEvent;
}

/**
 * An enqueuer on a producer connection, as the ingress's, and a plain connection to read with,
 * both on the tests' Redis (or `url`), under a prefix of their own; closed after the test.
 */
export async function openEnqueuer(
  closers: Array<() => Promise<unknown> | unknown>,
  {
    url = inject("redisUrl"),
    keys = redisKeys(`t-${randomUUID()}`),
    ...options
  }: Omit<EventEnqueuerOptions, "connection" | "keys"> & { url?: string; keys?: RedisKeys } = {},
) {
  const producer = createProducerConnection(url);
  await once(producer, "ready");
  closers.push(() => producer.disconnect());
  const reader = new Redis(url);
  closers.push(() => reader.disconnect());
  const enqueuer = createEventEnqueuer({ connection: producer, keys, ...options });
  closers.push(() => enqueuer.close());
  /** Whether the event's job is in the queue of `shard` (default 0). */
  const jobExists = async (queued: WebhookEvent, shard = 0) =>
    (await reader.exists(keys.queueKey(shard, jobIdFor(queued.webhookEventId)))) === 1;
  return { keys, producer, reader, enqueuer, jobExists };
}
