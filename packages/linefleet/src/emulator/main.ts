import { loadChannels } from "@linefleet/channels";
import { exitOnConfigError, parseEnv } from "@linefleet/config";
import { createEmulator } from "@linefleet/emulator";
import { createLogger } from "@linefleet/log";
import { emulatedChannels } from "./emulated-channels.ts";
import { botUserIdFor, emulatorEnvSchema, localCredentials } from "./env.ts";
import { checkRemoteExposure } from "./remote-exposure.ts";

const env = exitOnConfigError(() => parseEnv(emulatorEnvSchema));
const logger = createLogger({ name: "emulator", level: env.LOG_LEVEL });

const channelSecret = env.LINE_CHANNEL_SECRET ?? localCredentials.channelSecret;
const channelAccessToken = env.LINE_CHANNEL_ACCESS_TOKEN ?? localCredentials.channelAccessToken;
if (!process.env.CHANNELS_FILE && (!env.LINE_CHANNEL_SECRET || !env.LINE_CHANNEL_ACCESS_TOKEN)) {
  // Printed on purpose: these are public local defaults, and the bot needs the same values.
  logger.warn(
    `LINE_CHANNEL_SECRET/LINE_CHANNEL_ACCESS_TOKEN unset; using local defaults: ` +
      `LINE_CHANNEL_SECRET=${channelSecret} LINE_CHANNEL_ACCESS_TOKEN=${channelAccessToken}`,
  );
}

// With a CHANNELS_FILE the emulator plays every channel in it, each bot in the same chat UI.
const fromFile = process.env.CHANNELS_FILE
  ? emulatedChannels(
      exitOnConfigError(() => loadChannels(process.env, { needs: { secret: true, token: false } })),
      env.EMULATOR_WEBHOOK_URL,
    )
  : undefined;
const options = fromFile ?? {
  channelSecret,
  channelAccessToken,
  webhookUrl: env.EMULATOR_WEBHOOK_URL,
  bot: { userId: botUserIdFor(channelSecret), displayName: "linefleet bot" },
};
exitOnConfigError(() =>
  checkRemoteExposure({
    host: env.EMULATOR_HOST,
    secrets: [options.channelSecret, ...(options.channels ?? []).map((c) => c.channelSecret)],
    secretVariable: fromFile ? "CHANNELS_FILE" : "LINE_CHANNEL_SECRET",
    allowRemote: env.EMULATOR_ALLOW_REMOTE,
  }),
);
const emulator = createEmulator({ ...options, allowedHosts: env.EMULATOR_ALLOWED_HOSTS });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  await emulator.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// A port in use is the operator's to fix: one line naming it, not a stack trace.
await emulator
  .listen({ port: env.EMULATOR_PORT, host: env.EMULATOR_HOST })
  .catch((error: Error) => {
    process.stderr.write(
      `emulator: cannot listen on ${env.EMULATOR_HOST}:${env.EMULATOR_PORT} (EMULATOR_PORT): ${error.message}\n`,
    );
    process.exit(1);
  });
// A wildcard bind is reachable on loopback; print an address a browser can open.
const url = emulator.url.replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//127.0.0.1:");
logger.info(
  {
    url,
    chatUiUrl: `${url}/`,
    webhookUrl: env.EMULATOR_WEBHOOK_URL,
    botUserId: emulator.bot.userId,
    channels: emulator.channels().map((channel) => ({
      name: channel.name,
      botUserId: channel.bot.userId,
      webhookUrl: channel.webhookUrl,
    })),
  },
  `LINE emulator ready: chat UI at ${url}/ , Messaging API at ${url} , webhooks to ${env.EMULATOR_WEBHOOK_URL}`,
);
