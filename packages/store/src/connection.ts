import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";

/** A single Redis or a Redis Cluster: every linefleet process works on either. */
export type RedisConnection = Redis | Cluster;

export interface ClusterSeed {
  host: string;
  port: number;
}

/** Where Redis is: `url`, or, with `clusterNodes`, a Redis Cluster reached through those seeds. */
export interface RedisTarget {
  /** With a cluster, only its credentials and scheme (`rediss:` = TLS) are used. */
  url: string;
  clusterNodes?: readonly ClusterSeed[] | undefined;
}

/**
 * How long a cluster client keeps retrying a command whose node went away:
 * retryDelayOnFailover × maxRedirections = 20 s. It must outlast a failover, which takes the
 * cluster's `cluster-node-timeout` (3 s in the tests, 15 s by default)
 * plus the replica's election, about 5 s in all at 3 s.
 */
const failoverRetry = {
  retryDelayOnFailover: 500,
  retryDelayOnClusterDown: 500,
  retryDelayOnTryAgain: 200,
  maxRedirections: 40,
  // A client learns of a promoted replica from a MOVED answer, or from this periodic refresh when
  // its commands are failing fast and never reach a node that would answer MOVED.
  slotsRefreshInterval: 2_000,
} satisfies ClusterOptions;

/**
 * Producers must fail fast when Redis is away, so the ingress can answer at once (503, or spool)
 * instead of holding the request past LINE's 2 s: no offline queue, one retry.
 */
export function createProducerConnection(
  target: RedisTarget | string,
  options: RedisOptions = {},
): RedisConnection {
  const producer = {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    ...options,
  } satisfies RedisOptions;
  const { url, clusterNodes } = typeof target === "string" ? { url: target } : target;
  if (clusterNodes?.length) {
    return new Cluster([...clusterNodes], {
      ...failoverRetry,
      // A command for a node that is down fails at once rather than waiting for the failover.
      enableOfflineQueue: false,
      clusterRetryStrategy: (times) => Math.min(times * 100, 1_000),
      ...clusterConnectionOptions(url, producer),
    });
  }
  return new Redis(url, {
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    ...producer,
  });
}

/** Workers block on Redis and must never give up on a command: BullMQ requires this. */
export function createWorkerConnection(
  target: RedisTarget | string,
  options: RedisOptions = {},
): RedisConnection {
  const worker = {
    maxRetriesPerRequest: null,
    // No auto-pipelining: each batch would be a new ioredis Pipeline, whose constructor copies
    // every script defined on the connection (BullMQ's ~50) onto itself. With the worker's events
    // rarely sharing a turn, that cost more than the socket writes it saved (profiled: worker CPU
    // per event 893 -> 752 µs at 1,000 events/s, 1,623-1,698 -> 1,353-1,553 µs at 400/s).
    enableAutoPipelining: false,
    ...options,
  } satisfies RedisOptions;
  const { url, clusterNodes } = typeof target === "string" ? { url: target } : target;
  if (clusterNodes?.length) {
    return new Cluster([...clusterNodes], {
      ...failoverRetry,
      enableOfflineQueue: true,
      enableAutoPipelining: false,
      clusterRetryStrategy: (times) => Math.min(times * 200, 2_000),
      ...clusterConnectionOptions(url, worker),
    });
  }
  return new Redis(url, {
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...worker,
  });
}

/** The per-node options of a cluster client: the URL's credentials and TLS, and `base`. */
function clusterConnectionOptions(url: string, base: RedisOptions): ClusterOptions {
  const parsed = new URL(url);
  const tls = parsed.protocol === "rediss:";
  return {
    redisOptions: {
      ...base,
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(tls ? { tls: {} } : {}),
    },
    // Managed clusters (ElastiCache, MemoryDB) announce nodes by names whose TLS certificates
    // must match: keep the name rather than resolving it first, as their guides advise.
    ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
  };
}
