// pnpm run doctor [--url https://…] [--ingress-url http://…] [--json]
import { parseArgs } from "node:util";
import { type ChannelConfig, loadChannels } from "@linefleet/channels";
import {
  ConfigError,
  parseEnvOrExit,
  withLocalDevDefaults,
  workerEnvSchema,
} from "@linefleet/config";
import {
  type CheckResult,
  type DoctorChannel,
  formatResults,
  hasFailure,
  publicRootCertificates,
  runDoctor,
} from "@linefleet/doctor";
import { ingressEnvSchema } from "@linefleet/ingress";
import { doctorEnvSchema } from "./env.ts";

const usage = `Usage: linefleet doctor [--url https://host/webhook] [--ingress-url URL] [--json]

Checks the configuration, Redis, the channel at LINE, the webhook URL's TLS as LINE sees it and
the ingress; one line per check, exit code 1 on any failure.

  --url URL           the public webhook URL whose TLS to check (default: the one set at LINE)
  --ingress-url URL   where the ingress listens (default: http(s)://127.0.0.1:$PORT/webhook)
  --json              the results as JSON

Reads the same variables as the ingress and workers. With no LINE credentials set it checks the
local stack of linefleet dev (emulator, Redis on 6390), as linefleet dev runs it.`;

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "ingress-url": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const { env: source, local } = withLocalDevDefaults(process.env);
const env = parseEnvOrExit(doctorEnvSchema, source);

const ingressUrl =
  values["ingress-url"] ??
  `${env.TLS_CERT_FILE ? "https" : "http"}://127.0.0.1:${env.PORT}/webhook`;

// The channels as the ingress and the workers read them (CHANNELS_FILE, or the single channel's
// variables): judged here, and each one checked at LINE and through the ingress.
let channels: ChannelConfig[] = [];
let channelsConfig: CheckResult;
try {
  channels = loadChannels(source, { needs: { secret: true, token: true } });
  channelsConfig = {
    name: "config (channels)",
    status: "ok",
    detail: source.CHANNELS_FILE
      ? `${channels.length} in ${source.CHANNELS_FILE}: ${channels.map((c) => c.name).join(", ")}`
      : "one channel from LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN",
  };
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  channelsConfig = {
    name: "config (channels)",
    status: "fail",
    detail: error.problems.join("; "),
    hint: "set CHANNELS_FILE, or LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN (README: Configuration)",
  };
}
const fromFile = Boolean(source.CHANNELS_FILE);
const doctorChannels: DoctorChannel[] = channels.map((channel) => ({
  name: channel.name,
  channelSecret: channel.channelSecret,
  botUserId: channel.botUserId ?? env.LINE_BOT_USER_ID,
  ...(channel.token.kind === "static"
    ? { channelAccessToken: channel.token.channelAccessToken }
    : { tokenNotCheckedBecause: `its tokens are issued (${channel.token.kind}), not given` }),
  // A channels file's channel is served at /webhook/<name>; the single channel at /webhook.
  ...(fromFile && !values["ingress-url"]
    ? { ingressUrl: `${ingressUrl.replace(/\/webhook$/, "")}/webhook/${channel.name}` }
    : {}),
}));

const results = await runDoctor({
  configs: [
    { name: "ingress", schema: ingressEnvSchema },
    { name: "worker", schema: workerEnvSchema },
  ],
  env: source,
  configResults: [channelsConfig],
  ...(doctorChannels.length > 0 ? { channels: doctorChannels } : {}),
  redisUrl: env.REDIS_URL,
  allowEvictingRedis: env.ALLOW_EVICTING_REDIS,
  minReplicas: env.INGRESS_MIN_REPLICAS,
  lineApiBaseUrl: env.LINE_API_BASE_URL,
  ...(env.LINE_CHANNEL_ACCESS_TOKEN ? { channelAccessToken: env.LINE_CHANNEL_ACCESS_TOKEN } : {}),
  ...(env.LINE_CHANNEL_SECRET ? { channelSecret: env.LINE_CHANNEL_SECRET } : {}),
  ...(env.LINE_BOT_USER_ID ? { botUserId: env.LINE_BOT_USER_ID } : {}),
  ...(values.url ? { url: values.url } : {}),
  ingressUrl,
  publicRoots: publicRootCertificates(),
});

if (values.json) {
  console.log(JSON.stringify({ ok: !hasFailure(results), local, results }, null, 2));
} else {
  if (local) console.log("No LINE credentials set: checking the local pnpm dev stack (emulator).");
  console.log(formatResults(results));
}
process.exitCode = hasFailure(results) ? 1 : 0;
