import type { ErrorCode } from "@linefleet/errors";
import type { RedisConnection } from "./connection.ts";
import { type RedisKeys, redisKeys } from "./redis-model/keys.ts";

/** The deployment's queue was created with another QUEUE_SHARDS: starting would strand its events. */
export class ShardCountMismatchError extends Error {
  readonly code = "LF_SHARD_COUNT_MISMATCH" satisfies ErrorCode;
  constructor(configured: number, recorded: number, key: string) {
    super(
      `QUEUE_SHARDS is ${configured}, but this deployment's queue was created with ${recorded} ` +
        `shard${recorded === 1 ? "" : "s"} (Redis key ${key}). Events are routed to a shard by ` +
        "the count, so changing it would strand the ones already queued. Start with " +
        `QUEUE_SHARDS=${recorded}, or run the new count as a new deployment (another ` +
        "QUEUE_PREFIX) once the old one's queue is empty.",
    );
    this.name = "ShardCountMismatchError";
  }
}

/**
 * Records the shard count on first start (SET NX) and refuses a process configured with another
 * one. Every ingress, worker and `pnpm dead-letters` checks it before touching a queue.
 */
export async function assertShardCount(
  connection: RedisConnection,
  keys: RedisKeys,
): Promise<void> {
  const key = keys.queueShards();
  const configured = keys.layout.count;
  await connection.set(key, String(configured), "NX");
  const recorded = Number(await connection.get(key));
  if (recorded !== configured) throw new ShardCountMismatchError(configured, recorded, key);
}

/**
 * The keys of a running deployment as its first process laid them out: its recorded shard count
 * (1 before any process started), for tools that read a deployment without its configuration.
 */
export async function recordedKeys(
  connection: RedisConnection,
  prefix: string,
  { cluster = false }: { cluster?: boolean } = {},
): Promise<RedisKeys> {
  // Absent (0) until the first process records it.
  const recorded = Number(await connection.get(redisKeys(prefix).queueShards())) || 1;
  return redisKeys(prefix, { shards: recorded, cluster });
}
