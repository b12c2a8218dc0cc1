import type { ErrorCode } from "@linefleet/errors";
import { Cluster } from "ioredis";
import type { RedisConnection } from "./connection.ts";

/** Thrown (or returned) when Redis may evict keys, and with them queued events. */
export class RedisMayEvictError extends Error {
  readonly code = "LF_REDIS_MAY_EVICT" satisfies ErrorCode;
  readonly policy: string;
  constructor(policy: string) {
    super(
      `Redis maxmemory-policy is ${policy}: under memory pressure Redis may evict queued events, ` +
        "silently; set maxmemory-policy noeviction (or ALLOW_EVICTING_REDIS=true to accept the risk)",
    );
    this.name = "RedisMayEvictError";
    this.policy = policy;
  }
}

export interface EvictionPolicyVerdict {
  policy: string;
  /** False when the policy may evict keys and nobody allowed it. */
  safe: boolean;
  /** Set whenever the policy may evict keys, allowed or not. */
  problem?: RedisMayEvictError;
}

/** Every policy but `noeviction` may drop keys, BullMQ's jobs among them. */
export function judgeEvictionPolicy(policy: string, allowEvicting: boolean): EvictionPolicyVerdict {
  if (policy === "noeviction") return { policy, safe: true };
  return { policy, safe: allowEvicting, problem: new RedisMayEvictError(policy) };
}

/**
 * Reads the policy from `INFO memory` rather than `CONFIG GET`: managed Redis services often
 * disable CONFIG, never INFO. One round trip, which doubles as the liveness check. On a Redis
 * Cluster every master holds queued events, so each is asked; the first that may evict is told.
 */
export async function readEvictionPolicy(redis: RedisConnection): Promise<string> {
  if (!(redis instanceof Cluster)) return readNodePolicy(redis);
  const masters = redis.nodes("master");
  if (masters.length === 0) return readNodePolicy(redis);
  const policies = await Promise.all(masters.map(readNodePolicy));
  return policies.find((policy) => policy !== "noeviction") ?? "noeviction";
}

async function readNodePolicy(redis: RedisConnection): Promise<string> {
  const info = await redis.info("memory");
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (!policy) throw new Error("Redis INFO memory reports no maxmemory_policy");
  return policy;
}

export async function checkEvictionPolicy(
  redis: RedisConnection,
  options: { allowEvicting: boolean },
): Promise<EvictionPolicyVerdict> {
  return judgeEvictionPolicy(await readEvictionPolicy(redis), options.allowEvicting);
}

/** Resolves when Redis answers and may not evict (or is allowed to); else rejects, with a
 * `RedisMayEvictError` for an unsafe policy. For readiness probes. */
export async function assertRedisKeepsKeys(
  redis: RedisConnection,
  options: { allowEvicting: boolean },
): Promise<EvictionPolicyVerdict> {
  const verdict = await checkEvictionPolicy(redis, options);
  if (!verdict.safe && verdict.problem) throw verdict.problem;
  return verdict;
}

interface PolicyLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface EvictionPolicyWatch {
  /** The verdict from the latest (re)connection; undefined until Redis first answered. */
  current(): EvictionPolicyVerdict | undefined;
  /** A fresh check, for a readiness probe. */
  check(): Promise<EvictionPolicyVerdict>;
}

/**
 * Checks the policy each time the connection becomes ready (at start and after every reconnect,
 * since a failover may land on a differently configured Redis), logging an unsafe one as an
 * error, an allowed one as a warning.
 */
export function watchEvictionPolicy(
  redis: RedisConnection,
  options: { allowEvicting: boolean; logger: PolicyLogger },
): EvictionPolicyWatch {
  let latest: EvictionPolicyVerdict | undefined;
  const check = async () => {
    latest = await checkEvictionPolicy(redis, options);
    return latest;
  };
  redis.on("ready", () => {
    check().then(
      (verdict) => {
        if (!verdict.problem) return;
        if (verdict.safe) {
          options.logger.warn(
            { policy: verdict.policy },
            "Redis may evict queued events; allowed by ALLOW_EVICTING_REDIS=true",
          );
        } else {
          options.logger.error({ policy: verdict.policy }, verdict.problem.message);
        }
      },
      (error: unknown) =>
        options.logger.warn({ err: error }, "could not read Redis's maxmemory-policy"),
    );
  });
  return { current: () => latest, check };
}
