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
    // The commands of the events in flight (lanes, ledger, BullMQ's own) leave in one write per
    // event-loop turn instead of one each: a syscall per command was the worker's largest cost.
    enableAutoPipelining: true,
    ...options,
  });
}
