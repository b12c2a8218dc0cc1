import type { X509Certificate } from "node:crypto";
import { bounded, type CheckResult } from "./check.ts";
import { type ConfigSchema, checkConfig } from "./checks/config.ts";
import { checkIngressWebhook } from "./checks/ingress.ts";
import { checkBotInfo, checkLineWebhookTest, checkWebhookEndpoint } from "./checks/line.ts";
import { checkRedis } from "./checks/redis.ts";
import { checkEndpointTls } from "./checks/tls.ts";

/** One channel to check at LINE and through the ingress. */
export interface DoctorChannel {
  name: string;
  /** A static token; a channel whose tokens are issued has none to check here. */
  channelAccessToken?: string | undefined;
  channelSecret?: string | undefined;
  /** The bot user id its webhooks carry as `destination`, when known. */
  botUserId?: string | undefined;
  /** Where the ingress serves this channel's webhooks (default: `ingressUrl`). */
  ingressUrl?: string | undefined;
  /** Why the access token is not checked, when it has none (its tokens are issued, say). */
  tokenNotCheckedBecause?: string | undefined;
}

export interface DoctorOptions {
  /** The processes' env schemas, and the environment to check against them. */
  configs: readonly ConfigSchema[];
  env: NodeJS.ProcessEnv;
  /** Further configuration already judged (the channels file, say), listed beside the schemas'. */
  configResults?: readonly CheckResult[];
  redisUrl: string;
  allowEvictingRedis: boolean;
  /** INGRESS_MIN_REPLICAS: the replicas Redis must have online for the ingress to answer 200. */
  minReplicas?: number;
  lineApiBaseUrl: string;
  /**
   * The channels to check at LINE, each by name when there are several. Without it, the one
   * channel given by `channelAccessToken`, `channelSecret` and `botUserId`.
   */
  channels?: readonly DoctorChannel[];
  channelAccessToken?: string;
  channelSecret?: string;
  /** The bot user id this deployment expects (the webhooks' `destination`), when known. */
  botUserId?: string;
  /** The public URL whose TLS to check; by default the webhook URL set at LINE. */
  url?: string;
  /** Where the ingress listens, for the signed test webhook sent straight to it. */
  ingressUrl: string;
  publicRoots: readonly X509Certificate[];
  now?: () => Date;
  /** Bound for each network check. */
  timeoutMs?: number;
}

const skipped = (name: string, variable: string): CheckResult => ({
  name,
  status: "fail",
  detail: `not checked: ${variable} is not set`,
  hint: `set ${variable}`,
});

/** Every check, in the order a reader fixes things: config, Redis, LINE, TLS, the ingress. */
export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? (() => new Date());
  const results: CheckResult[] = [
    ...checkConfig(options.configs, options.env),
    ...(options.configResults ?? []),
  ];

  results.push(
    ...(await bounded("Redis", timeoutMs * 2, () =>
      checkRedis({
        url: options.redisUrl,
        allowEvicting: options.allowEvictingRedis,
        timeoutMs,
        ...(options.minReplicas ? { minReplicas: options.minReplicas } : {}),
      }),
    )),
  );

  const channels: readonly DoctorChannel[] = options.channels ?? [
    {
      name: "default",
      channelAccessToken: options.channelAccessToken,
      channelSecret: options.channelSecret,
      botUserId: options.botUserId,
    },
  ];
  // With several channels, each line names the channel it is about.
  const named = channels.length > 1;
  for (const channel of channels) {
    const own = await channelChecks(options, channel, timeoutMs, now);
    results.push(
      ...(named
        ? own.map((result) => ({ ...result, name: `${result.name} [${channel.name}]` }))
        : own),
    );
  }
  return results;
}

/** One channel at LINE (token, webhook URL, LINE's test), its URL's TLS, and the ingress. */
async function channelChecks(
  options: DoctorOptions,
  channel: DoctorChannel,
  timeoutMs: number,
  now: () => Date,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const line = channel.channelAccessToken
    ? await lineChecks(
        { ...options, ...(channel.botUserId ? { botUserId: channel.botUserId } : {}) },
        channel.channelAccessToken,
        timeoutMs,
      )
    : {
        results: ["access token (bot info)", "webhook URL at LINE", "LINE's webhook test"].map(
          (name): CheckResult =>
            channel.tokenNotCheckedBecause
              ? { name, status: "warn", detail: `not checked: ${channel.tokenNotCheckedBecause}` }
              : skipped(name, "LINE_CHANNEL_ACCESS_TOKEN"),
        ),
      };
  results.push(...line.results);
  const botUserId = channel.botUserId ?? line.botUserId;
  const endpoint = line.endpoint;

  const tlsUrl = options.url ?? endpoint;
  if (tlsUrl) {
    results.push(
      ...(await bounded("webhook TLS", timeoutMs * 3, () =>
        checkEndpointTls({ url: tlsUrl, publicRoots: options.publicRoots, now: now(), timeoutMs }),
      )),
    );
  } else {
    results.push({
      name: "webhook TLS",
      status: "fail",
      detail: "not checked: no webhook URL is set at LINE and no --url was given",
      hint: "pass --url https://<your host>/webhook",
    });
  }

  const channelSecret = channel.channelSecret;
  if (!channelSecret) {
    results.push(skipped("ingress signed test webhook", "LINE_CHANNEL_SECRET"));
  } else {
    results.push(
      ...(await bounded("ingress signed test webhook", timeoutMs, async () => [
        await checkIngressWebhook({
          url: channel.ingressUrl ?? options.ingressUrl,
          channelSecret,
          destination: botUserId ?? `U${"0".repeat(32)}`,
        }),
      ])),
    );
  }
  return results;
}

/**
 * The channel as LINE has it: the token, the webhook URL set, LINE's own test of it. When LINE
 * does not answer at all, the later calls would only wait out the same timeout: they are skipped.
 */
async function lineChecks(
  options: DoctorOptions,
  accessToken: string,
  timeoutMs: number,
): Promise<{ results: CheckResult[]; botUserId?: string; endpoint?: string }> {
  const line = { apiBaseUrl: options.lineApiBaseUrl, accessToken, timeoutMs };
  const hint = `check LINE_API_BASE_URL (${options.lineApiBaseUrl}) and the network`;
  let botUserId: string | undefined;
  let endpoint: string | undefined;
  let answered = false;
  const results = await bounded(
    "access token (bot info)",
    timeoutMs,
    async () => {
      const info = await checkBotInfo({
        ...line,
        ...(options.botUserId ? { expectedBotUserId: options.botUserId } : {}),
      });
      answered = true;
      botUserId = info.botUserId;
      return [info.result];
    },
    hint,
  );
  if (!answered) {
    for (const name of ["webhook URL at LINE", "LINE's webhook test"]) {
      results.push({
        name,
        status: "fail",
        detail: "not checked: LINE's API did not answer",
        hint,
      });
    }
    return { results };
  }
  results.push(
    ...(await bounded(
      "webhook URL at LINE",
      timeoutMs,
      async () => {
        const set = await checkWebhookEndpoint(line);
        endpoint = set.endpoint;
        return [set.result];
      },
      hint,
    )),
    // LINE's test waits for the endpoint (up to its own timeout): allow for that.
    ...(await bounded(
      "LINE's webhook test",
      timeoutMs * 2,
      async () => [
        await checkLineWebhookTest({ ...line, ...(options.url ? { endpoint: options.url } : {}) }),
      ],
      hint,
    )),
  );
  return {
    results,
    ...(botUserId ? { botUserId } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}
