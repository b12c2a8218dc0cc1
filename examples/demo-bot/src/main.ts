// The demo bot as a BOT_MODULE: `BOT_MODULE=examples/demo-bot/src/main.ts pnpm start:worker`.
import { createDemoBot } from "./demo-bot.ts";

export const bot = createDemoBot();
