import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Bot, createEchoBot } from "@linefleet/bot";

// biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
type AnyBot = Bot<any, any>;

/** The bot a worker runs: the module named by BOT_MODULE, else the echo bot. */
export async function loadBot(modulePath: string | undefined): Promise<AnyBot> {
  if (!modulePath) return createEchoBot();
  const loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as {
    default?: unknown;
    bot?: unknown;
  };
  const bot = loaded.bot ?? loaded.default;
  if (!bot || typeof (bot as Bot).dispatch !== "function") {
    throw new Error(
      `BOT_MODULE ${modulePath} must export a Bot (from createBot()) as "bot" or default`,
    );
  }
  return bot as AnyBot;
}
