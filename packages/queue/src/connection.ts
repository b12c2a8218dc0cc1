import { Redis, type RedisOptions } from "ioredis";

/**
 * Producers must fail fast when Redis is away, so the ingress can answer 503 and LINE redelivers;
 * an offline queue would hold the request and answer too late or lose the event.
 */
export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    ...options,
  });
}

/** Workers block on Redis and must never give up on a command: BullMQ requires this. */
export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    // No auto-pipelining: each batch would be a new ioredis Pipeline, whose constructor copies
    // every script defined on the connection (BullMQ's ~50) onto itself. With the worker's events
    // rarely sharing a turn, that cost more than the socket writes it saved (profiled: worker CPU
    // per event 893 -> 752 µs at 1,000 events/s, 1,623-1,698 -> 1,353-1,553 µs at 400/s).
    enableAutoPipelining: false,
    ...options,
  });
}
