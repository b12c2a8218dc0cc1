import { type ChannelConfig, loadChannels } from "@linefleet/channels";
import {
  ConfigError,
  devStackFile,
  lineApiEnv,
  localDev,
  parseEnv,
  readDevStack,
  redisEnv,
} from "@linefleet/config";
import { createLineClient, type LineClient } from "@linefleet/line-client";
import { createWorkerConnection, redisKeys } from "@linefleet/store";
import { createTokenSource } from "@linefleet/tokens";
import { z } from "zod";

export interface ChannelClient {
  channel: string;
  apiBaseUrl: string;
  client: LineClient;
  close(): void;
}

/**
 * The LINE client of the channel whose menus are synced: `channelName` of CHANNELS_FILE (the only
 * one, or "default", when not named), else the single channel of LINE_CHANNEL_ACCESS_TOKEN, else a
 * running `linefleet dev`'s emulator with its development token. A channel with managed tokens
 * takes its token as the workers do, through Redis (REDIS_URL, QUEUE_PREFIX).
 */
export async function openChannelClient(
  channelName: string | undefined,
  source: NodeJS.ProcessEnv = process.env,
): Promise<ChannelClient> {
  let env = source;
  const stack = readDevStack(devStackFile(source));
  if (!source.CHANNELS_FILE && !source.LINE_CHANNEL_ACCESS_TOKEN && stack?.emulatorUrl) {
    env = {
      ...source,
      LINE_CHANNEL_ACCESS_TOKEN: localDev.channelAccessToken,
      LINE_API_BASE_URL: stack.emulatorUrl,
      LINE_DATA_API_BASE_URL: stack.emulatorUrl,
    };
  }
  const urls = parseEnv(z.object(lineApiEnv), env);
  const channels = loadChannels(env, { needs: { secret: false, token: true } });
  const channel = pick(channels, channelName);
  const lineUrls = {
    apiBaseUrl: urls.LINE_API_BASE_URL,
    dataApiBaseUrl: urls.LINE_DATA_API_BASE_URL,
  };
  const opened = { channel: channel.name, apiBaseUrl: urls.LINE_API_BASE_URL };
  if (channel.token.kind === "static") {
    const { channelAccessToken } = channel.token;
    return {
      ...opened,
      client: createLineClient({ channelAccessToken, ...lineUrls }),
      close: () => {},
    };
  }
  const redisConfig = parseEnv(z.object(redisEnv), env);
  const redis = createWorkerConnection({
    url: redisConfig.REDIS_URL,
    clusterNodes: redisConfig.REDIS_CLUSTER_NODES,
  });
  const keys = redisKeys(redisConfig.QUEUE_PREFIX, {
    shards: redisConfig.QUEUE_SHARDS,
    cluster: redisConfig.REDIS_CLUSTER_NODES !== undefined,
  });
  const tokens = createTokenSource(channel, { redis, keys, apiBaseUrl: urls.LINE_API_BASE_URL });
  try {
    // The SDK's clients need a token in hand: the first is taken (or issued) now.
    await tokens.get();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return {
    ...opened,
    client: createLineClient({ tokens, ...lineUrls }),
    close: () => redis.disconnect(),
  };
}

function pick(channels: ChannelConfig[], name: string | undefined): ChannelConfig {
  const names = channels.map((channel) => channel.name);
  if (name === undefined) {
    if (channels.length === 1) return channels[0] as ChannelConfig;
    const fallback = channels.find((channel) => channel.name === "default");
    if (fallback) return fallback;
    throw new ConfigError([
      `--channel is required: CHANNELS_FILE has the channels ${names.join(", ")}`,
    ]);
  }
  const found = channels.find((channel) => channel.name === name);
  if (!found) {
    throw new ConfigError([
      `--channel is invalid: no channel ${name} (the channels are ${names.join(", ")})`,
    ]);
  }
  return found;
}
