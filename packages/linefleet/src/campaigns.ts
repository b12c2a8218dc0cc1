// linefleet/campaigns: the API behind `linefleet campaign` (docs/campaigns.md); the workers do the
// sending. A subpath of its own, so a bot's project that does not use it never compiles its types
// (Redis's among them).
export {
  type CampaignInput,
  type CampaignStatus,
  type Campaigns,
  type CampaignsOptions,
  createCampaigns,
  type SendOptions,
} from "@linefleet/campaigns";
