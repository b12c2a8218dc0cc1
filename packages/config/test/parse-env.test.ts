import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, env, lineChannelEnv, parseEnv, redisEnv } from "../src/index.ts";

const schema = z.object({
  ...lineChannelEnv,
  ...redisEnv,
  PORT: env.port(3000),
  VERBOSE: env.flag(false),
});

describe("parseEnv", () => {
  it("applies defaults and coerces values", () => {
    const parsed = parseEnv(schema, {
      LINE_CHANNEL_SECRET: "s",
      LINE_CHANNEL_ACCESS_TOKEN: "t",
      PORT: "8080",
      VERBOSE: "yes",
    });
    expect(parsed).toEqual({
      LINE_CHANNEL_SECRET: "s",
      LINE_CHANNEL_ACCESS_TOKEN: "t",
      REDIS_URL: "redis://127.0.0.1:6379",
      QUEUE_PREFIX: "linefleet",
      ALLOW_EVICTING_REDIS: false,
      QUEUE_SHARDS: 1,
      PORT: 8080,
      VERBOSE: true,
    });
  });

  it("names every missing or invalid variable at once, without echoing values", () => {
    let error: unknown;
    try {
      parseEnv(schema, { LINE_CHANNEL_ACCESS_TOKEN: "", PORT: "eighty", REDIS_URL: "not a url" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain("LINE_CHANNEL_SECRET is required");
    expect(message).toContain("LINE_CHANNEL_ACCESS_TOKEN is required");
    expect(message).toContain("PORT is invalid");
    expect(message).toContain("REDIS_URL is invalid");
    expect(message).not.toContain("eighty");
  });

  it("reads REDIS_CLUSTER_NODES as host:port seeds and names a bad one", () => {
    const base = { LINE_CHANNEL_SECRET: "s", LINE_CHANNEL_ACCESS_TOKEN: "t" };
    expect(
      parseEnv(schema, { ...base, REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-2.internal:7001" })
        .REDIS_CLUSTER_NODES,
    ).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-2.internal", port: 7001 },
    ]);
    expect(parseEnv(schema, base).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(() =>
      parseEnv(schema, { ...base, REDIS_CLUSTER_NODES: "10.0.0.1:7000,10.0.0.2" }),
    ).toThrow(/REDIS_CLUSTER_NODES is invalid: expected host:port/);
  });

  it("treats an empty variable as unset", () => {
    const parsed = parseEnv(schema, {
      LINE_CHANNEL_SECRET: "s",
      LINE_CHANNEL_ACCESS_TOKEN: "t",
      PORT: "",
    });
    expect(parsed.PORT).toBe(3000);
  });
});
