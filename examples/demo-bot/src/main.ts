// The demo bot as a BOT_MODULE: `BOT_MODULE=examples/demo-bot/src/main.ts pnpm start:worker`.
import { ConfigError } from "@linefleet/config";
import { createDemoBot } from "./demo-bot.ts";

// DEMO_NEWS_EVERY_MS turns on the recurring news job (`subscribe` in the chat), e.g. 60000.
const newsEvery = process.env.DEMO_NEWS_EVERY_MS;
const newsEveryMs = newsEvery ? Number(newsEvery) : undefined;
if (newsEveryMs !== undefined && !(Number.isInteger(newsEveryMs) && newsEveryMs >= 1_000)) {
  // A ConfigError: the worker says it in one line and exits, as for its own variables.
  throw new ConfigError(["DEMO_NEWS_EVERY_MS: a whole number of milliseconds, at least 1000"]);
}
export const bot = createDemoBot({ newsEveryMs });
