// `pnpm dev`: `linefleet dev` with the demo bot (examples/demo-bot), unless BOT_MODULE names another.
import { runCli } from "linefleet";

process.env.BOT_MODULE ||= "examples/demo-bot/src/main.ts";
await runCli(["dev", ...process.argv.slice(2)]);
