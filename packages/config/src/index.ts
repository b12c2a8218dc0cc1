export { env, lineApiEnv, lineChannelEnv, logEnv, redisEnv } from "./fields.ts";
export { ConfigError, parseEnv } from "./parse-env.ts";
