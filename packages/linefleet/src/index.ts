// linefleet: the runtime (ingress, workers, the LINE emulator) and the `linefleet` command. Bots
// are written with @linefleet/bot and tested with @linefleet/testing. Campaigns from code:
// `linefleet/campaigns`.
export { cliPath, ingressNodeFlags } from "./cli/cli-path.ts";
export { runCli } from "./cli/run-cli.ts";
