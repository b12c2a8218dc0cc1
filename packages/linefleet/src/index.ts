// linefleet: the runtime (ingress, workers, the LINE emulator) and the `linefleet` command. Bots
// are written with @linefleet/bot and tested with @linefleet/testing.

// Campaigns: the API behind `linefleet campaign` (docs/campaigns.md); the workers do the sending.
export {
  type CampaignInput,
  type CampaignStatus,
  type Campaigns,
  type CampaignsOptions,
  createCampaigns,
  type SendOptions,
} from "@linefleet/campaigns";
export { cliPath, ingressNodeFlags } from "./cli/cli-path.ts";
export { runCli } from "./cli/run-cli.ts";
