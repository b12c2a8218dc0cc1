export { createDemoBot, type DemoBotOptions, type DemoSession } from "./demo-bot.ts";
