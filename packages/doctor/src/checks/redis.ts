import { judgeEvictionPolicy, readEvictionPolicy } from "@linefleet/store";
import { Redis } from "ioredis";
import type { CheckResult } from "../check.ts";

export interface RedisCheckOptions {
  url: string;
  allowEvicting: boolean;
  timeoutMs: number;
  /** INGRESS_MIN_REPLICAS: with more than 0, the replicas Redis has online are counted. */
  minReplicas?: number;
}

/** BullMQ's minimum. */
const MIN_VERSION = [6, 2, 0] as const;

function atLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split(".").map(Number);
  for (const [i, min] of minimum.entries()) {
    const part = parts[i] ?? 0;
    if (part !== min) return part > min;
  }
  return true;
}

/** The URL without its password, fit for a report. */
function shown(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.href;
}

/** Redis reachable, its version, its eviction policy and its persistence: one line each. */
export async function checkRedis(options: RedisCheckOptions): Promise<CheckResult[]> {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.timeoutMs,
    commandTimeout: options.timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  redis.on("error", (error) => {
    lastError = error; // ioredis rejects connect() with "Connection is closed"; this says why
  });
  try {
    try {
      await redis.connect();
    } catch (error) {
      return [
        {
          name: "Redis",
          status: "fail",
          detail: `cannot reach ${shown(options.url)}: ${(lastError ?? (error as Error)).message}`,
          hint: "start Redis (>= 6.2) or set REDIS_URL to a running one",
        },
      ];
    }
    const server = await redis.info("server");
    const version = /^redis_version:(\S+)/m.exec(server)?.[1] ?? "unknown";
    const results: CheckResult[] = [
      atLeast(version, MIN_VERSION)
        ? { name: "Redis", status: "ok", detail: `${shown(options.url)}, version ${version}` }
        : {
            name: "Redis",
            status: "fail",
            detail: `${shown(options.url)} runs Redis ${version}; BullMQ needs 6.2 or later`,
            hint: "upgrade Redis to 6.2 or later (7.x recommended)",
          },
    ];

    const verdict = judgeEvictionPolicy(await readEvictionPolicy(redis), options.allowEvicting);
    results.push(
      !verdict.problem
        ? { name: "Redis maxmemory-policy", status: "ok", detail: "noeviction" }
        : verdict.safe
          ? {
              name: "Redis maxmemory-policy",
              status: "warn",
              detail: `${verdict.policy}, allowed by ALLOW_EVICTING_REDIS=true: Redis may evict queued events`,
              hint: "CONFIG SET maxmemory-policy noeviction (and in redis.conf), then unset ALLOW_EVICTING_REDIS",
            }
          : {
              name: "Redis maxmemory-policy",
              status: "fail",
              detail: `${verdict.policy}: Redis may evict queued events under memory pressure, silently`,
              hint: "CONFIG SET maxmemory-policy noeviction, and maxmemory-policy noeviction in redis.conf",
            },
    );
    results.push(await checkPersistence(redis));
    if (options.minReplicas) results.push(await checkReplicas(redis, options.minReplicas));
    return results;
  } finally {
    redis.disconnect();
  }
}

async function checkPersistence(redis: Redis): Promise<CheckResult> {
  const name = "Redis persistence";
  const persistence = await redis.info("persistence");
  if (/^aof_enabled:1/m.test(persistence)) return { name, status: "ok", detail: "AOF on" };
  let save: string | undefined;
  try {
    const answer = (await redis.config("GET", "save")) as string[];
    save = answer[1] ?? "";
  } catch {
    // CONFIG is often disabled on managed Redis: the RDB schedule stays unknown
  }
  if (save) return { name, status: "ok", detail: `RDB snapshots (save ${save}); AOF off` };
  return {
    name,
    status: "warn",
    detail:
      save === undefined
        ? "AOF off, and the RDB schedule cannot be read (CONFIG is disabled)"
        : "neither AOF nor RDB: a Redis restart loses every queued event",
    hint: "turn on AOF: appendonly yes (CONFIG SET appendonly yes, and in redis.conf)",
  };
}

/** INGRESS_MIN_REPLICAS above the replicas Redis has online: every webhook would be answered 503. */
async function checkReplicas(redis: Redis, minReplicas: number): Promise<CheckResult> {
  const name = "Redis replicas";
  const replication = await redis.info("replication");
  // One `slaveN:ip=…,port=…,state=online,offset=…,lag=…` line per connected replica.
  const online = replication.match(/^slave\d+:.*state=online/gm)?.length ?? 0;
  if (online >= minReplicas) {
    return { name, status: "ok", detail: `${online} online, INGRESS_MIN_REPLICAS=${minReplicas}` };
  }
  return {
    name,
    status: "warn",
    detail: `${online} online, fewer than INGRESS_MIN_REPLICAS=${minReplicas}: the ingress answers every webhook 503 (or spools it) until enough replicas confirm its writes`,
    hint: "attach replicas (replicaof), or lower INGRESS_MIN_REPLICAS",
  };
}
