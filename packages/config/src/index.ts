export { env, lineApiEnv, lineChannelEnv, logEnv, redisEnv } from "./fields.ts";
export { ConfigError, parseEnv, parseEnvOrExit } from "./parse-env.ts";
