import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
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
 * one. Processes call it through checkShardCountOrExit.
 */
async function assertShardCount(connection: RedisConnection, keys: RedisKeys): Promise<void> {
  const key = keys.queueShards();
  const configured = keys.layout.count;
  await connection.set(key, String(configured), "NX");
  const recorded = Number(await connection.get(key));
  if (recorded !== configured) throw new ShardCountMismatchError(configured, recorded, key);
}

/** sysexits' EX_CONFIG: the configuration is wrong, so restarting as it is cannot help. */
export const SHARD_COUNT_MISMATCH_EXIT_CODE = 78;

export interface ShardCountCheckOptions {
  /** Says why the process stops (a fatal log line, or stderr for a CLI), before it exits 78. */
  onMismatch(error: ShardCountMismatchError): void;
  /**
   * Keep trying while Redis cannot be reached, rather than failing: the ingress starts without
   * Redis (its spool takes the webhooks meanwhile). Called on every failed attempt.
   */
  whileUnreachable?(error: unknown, attempt: number): void;
  /** Between attempts while Redis is unreachable (default 250 ms). */
  retryIntervalMs?: number;
}

/**
 * The check every ingress, worker and `pnpm dead-letters` runs before touching a queue: resolves
 * once the recorded shard count matches the configured one, and exits the process with 78 when it
 * does not, since running would strand the events already queued.
 */
export async function checkShardCountOrExit(
  connection: RedisConnection,
  keys: RedisKeys,
  options: ShardCountCheckOptions,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      // A producer connection has no offline queue: a command sent while it is still connecting
      // fails at once, so wait until it is ready (an error while connecting rejects, and is retried).
      if (options.whileUnreachable && connection.status !== "ready")
        await once(connection, "ready");
      await assertShardCount(connection, keys);
      return;
    } catch (error) {
      if (error instanceof ShardCountMismatchError) {
        options.onMismatch(error);
        process.exit(SHARD_COUNT_MISMATCH_EXIT_CODE);
      }
      if (!options.whileUnreachable) throw error;
      options.whileUnreachable(error, attempt);
      await sleep(options.retryIntervalMs ?? 250);
    }
  }
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
