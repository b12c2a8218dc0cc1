export {
  type ChannelConfig,
  type ChannelEntry,
  channelEntrySchema,
  DEFAULT_CHANNEL,
  type TokenMode,
  tokenModeProblems,
} from "./channel-schema.ts";
export {
  type ChannelSource,
  type LoadChannelsOptions,
  loadChannels,
  parseChannelsFile,
} from "./load-channels.ts";
export { webhookPathsOf } from "./webhook-paths.ts";
