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

export const redisEnv = {
  REDIS_URL: env.url("redis://127.0.0.1:6379"),
  /** Key prefix for every linefleet key, so several deployments can share one Redis. */
  QUEUE_PREFIX: z.string().min(1).default("linefleet"),
  /** Run on a Redis whose maxmemory-policy may evict keys (and so queued events) anyway. */
  ALLOW_EVICTING_REDIS: env.flag(false),
};

export const logEnv = {
  LOG_LEVEL: env.logLevel(),
};
