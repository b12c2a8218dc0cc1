import { parseEnvOrExit } from "@linefleet/config";
import { createEmulator } from "@linefleet/emulator";
import { createLogger } from "@linefleet/log";
import { botUserIdFor, emulatorEnvSchema, localCredentials } from "./env.ts";

const env = parseEnvOrExit(emulatorEnvSchema);
const logger = createLogger({ name: "emulator", level: env.LOG_LEVEL });

const channelSecret = env.LINE_CHANNEL_SECRET ?? localCredentials.channelSecret;
const channelAccessToken = env.LINE_CHANNEL_ACCESS_TOKEN ?? localCredentials.channelAccessToken;
if (!env.LINE_CHANNEL_SECRET || !env.LINE_CHANNEL_ACCESS_TOKEN) {
  // Printed on purpose: these are public local defaults, and the bot needs the same values.
  logger.warn(
    `LINE_CHANNEL_SECRET/LINE_CHANNEL_ACCESS_TOKEN unset; using local defaults: ` +
      `LINE_CHANNEL_SECRET=${channelSecret} LINE_CHANNEL_ACCESS_TOKEN=${channelAccessToken}`,
  );
}

const emulator = createEmulator({
  channelSecret,
  channelAccessToken,
  webhookUrl: env.EMULATOR_WEBHOOK_URL,
  bot: { userId: botUserIdFor(channelSecret), displayName: "linefleet bot" },
});

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
      `emulator: cannot listen on ${env.EMULATOR_HOST}:${env.EMULATOR_PORT}: ${error.message}\n`,
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
  },
  `LINE emulator ready: chat UI at ${url}/ , Messaging API at ${url} , webhooks to ${env.EMULATOR_WEBHOOK_URL}`,
);
