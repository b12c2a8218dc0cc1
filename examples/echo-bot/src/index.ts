export { createEchoBot } from "./echo-bot.ts";
