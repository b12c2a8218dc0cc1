export { env, lineApiEnv, lineChannelEnv, logEnv, redisEnv } from "./fields.ts";
export { localDev, withLocalDevDefaults } from "./local-dev.ts";
export { ConfigError, parseEnv, parseEnvOrExit } from "./parse-env.ts";
