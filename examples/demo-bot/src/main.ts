// The demo bot as a BOT_MODULE: `BOT_MODULE=examples/demo-bot/src/main.ts pnpm start:worker`.
import { createDemoBot } from "./demo-bot.ts";

// DEMO_NEWS_EVERY_MS turns on the recurring news job (`subscribe` in the chat), e.g. 60000.
const newsEveryMs = Number(process.env.DEMO_NEWS_EVERY_MS ?? "") || undefined;
export const bot = createDemoBot({ newsEveryMs });
