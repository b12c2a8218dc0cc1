export { env, lineApiEnv, lineChannelEnv, logEnv, redisEnv } from "./fields.ts";
export { ConfigError, exitOnConfigError, parseEnv } from "./parse-env.ts";
