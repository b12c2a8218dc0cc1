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
export { localDev, withLocalDevDefaults } from "./local-dev.ts";
export {
  ConfigError,
  configureAll,
  exitOnConfigError,
  exitWithConfigError,
  parseEnv,
  parseEnvOrExit,
} from "./parse-env.ts";
export { type WorkerEnv, workerEnvSchema } from "./worker-env.ts";
