export { CHUNK_SIZE } from "./campaign-jobs.ts";
export { type CampaignObserver, noCampaignObserver } from "./campaign-observer.ts";
export { type CampaignRateLimits, lineCampaignRateLimits } from "./campaign-pacing.ts";
export { type CampaignProcessorOptions, createCampaignProcessor } from "./campaign-processor.ts";
export { type CampaignDefinition, campaignSchema } from "./campaign-schema.ts";
export {
  type CampaignState,
  type CampaignStatus,
  type ChunkRecord,
  endedStates,
  type QuotaReading,
} from "./campaign-status.ts";
export {
  type CampaignInput,
  type Campaigns,
  type CampaignsOptions,
  createCampaigns,
  type SendOptions,
} from "./campaigns.ts";
export { CampaignError } from "./errors.ts";
export { endLine, progressBar, progressLine, statusReport } from "./progress-text.ts";
export { parseAt } from "./schedule-at.ts";
