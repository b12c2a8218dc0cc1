export {
  type DevStack,
  devStackFile,
  locateService,
  printableUrl,
  readDevStack,
  removeDevStack,
  type ServiceLocation,
  writeDevStack,
} from "./dev-stack.ts";
export { env, lineApiEnv, lineChannelEnv, logEnv, redisEnv } from "./fields.ts";
export { ConfigError, exitOnConfigError, parseEnv, parseEnvOrExit } from "./parse-env.ts";
