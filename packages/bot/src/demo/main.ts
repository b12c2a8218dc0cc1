// The demo bot as a BOT_MODULE: `BOT_MODULE=packages/bot/src/demo/main.ts pnpm start:worker`.
import { createDemoBot } from "./demo-bot.ts";

export const bot = createDemoBot();
