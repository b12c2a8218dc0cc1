/**
 * What `pnpm dev` runs with when no LINE credentials are set: development-only credentials the
 * emulator is started with, and local ports. Tools that look at that stack (the doctor) assume
 * the same, so they work against it with no configuration either.
 */
export const localDev = {
  channelSecret: "linefleet-dev-channel-secret",
  channelAccessToken: "linefleet-dev-channel-access-token",
  redisPort: 6390,
  emulatorPort: 8090,
} as const;

/** `source` as `pnpm dev` completes it when neither LINE credential is set; else `source` as is. */
export function withLocalDevDefaults(source: NodeJS.ProcessEnv): {
  env: NodeJS.ProcessEnv;
  local: boolean;
} {
  if (source.LINE_CHANNEL_SECRET || source.LINE_CHANNEL_ACCESS_TOKEN) {
    return { env: source, local: false };
  }
  const emulator = `http://127.0.0.1:${source.EMULATOR_PORT || localDev.emulatorPort}`;
  return {
    local: true,
    env: {
      ...source,
      LINE_CHANNEL_SECRET: localDev.channelSecret,
      LINE_CHANNEL_ACCESS_TOKEN: localDev.channelAccessToken,
      LINE_API_BASE_URL: emulator,
      LINE_DATA_API_BASE_URL: emulator,
      REDIS_URL:
        source.REDIS_URL || `redis://127.0.0.1:${source.DEV_REDIS_PORT || localDev.redisPort}`,
    },
  };
}
