import { z } from "zod";

/** Environment-variable field types shared by every linefleet process. */
export const env = {
  secret: () => z.string().min(1, "set it to the value from the LINE Developers Console"),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback),
  ms: (fallback: number) => z.coerce.number().int().min(0).default(fallback),
  url: (fallback: string) => z.url().default(fallback),
  flag: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no"])
      .default(fallback ? "true" : "false")
      .transform((value) => value === "true" || value === "1" || value === "yes"),
  logLevel: () =>
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
};

/** The channel a process speaks for. */
export const lineChannelEnv = {
  LINE_CHANNEL_SECRET: env.secret(),
  LINE_CHANNEL_ACCESS_TOKEN: env.secret(),
};

/** Where LINE's APIs are; tests and the emulator point these elsewhere. */
export const lineApiEnv = {
  LINE_API_BASE_URL: env.url("https://api.line.me"),
  LINE_DATA_API_BASE_URL: env.url("https://api-data.line.me"),
};

/** `host:port,host:port`: the seeds of a Redis Cluster; each must be a host and a port. */
const clusterNodes = z
  .string()
  .transform((value, context) => {
    const seeds = value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const match = /^(.+):(\d{1,5})$/.exec(entry);
        const port = Number(match?.[2]);
        return match?.[1] && port > 0 && port <= 65535 ? { host: match[1], port } : undefined;
      });
    if (seeds.length === 0 || seeds.some((seed) => seed === undefined)) {
      context.addIssue({ code: "custom", message: "expected host:port[,host:port…]" });
      return z.NEVER;
    }
    return seeds as Array<{ host: string; port: number }>;
  })
  .optional();

export const redisEnv = {
  REDIS_URL: env.url("redis://127.0.0.1:6379"),
  /**
   * Seeds of a Redis Cluster (`host:port,…`). When set, every process speaks to the cluster, and
   * REDIS_URL lends only its credentials and scheme (`rediss:` for TLS).
   */
  REDIS_CLUSTER_NODES: clusterNodes,
  /**
   * How many hash-tagged event queues: a chat's events stay in one, so order holds. Fixed for the
   * life of a deployment; a process started with another count than the first refuses to start.
   */
  QUEUE_SHARDS: z.coerce.number().int().min(1).max(1024).default(1),
  /** Key prefix for every linefleet key, so several deployments can share one Redis. */
  QUEUE_PREFIX: z.string().min(1).default("linefleet"),
  /** Run on a Redis whose maxmemory-policy may evict keys (and so queued events) anyway. */
  ALLOW_EVICTING_REDIS: env.flag(false),
};

export const logEnv = {
  LOG_LEVEL: env.logLevel(),
};
