import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Bot } from "@linefleet/bot";
import { ConfigError } from "@linefleet/config";
import { createEchoBot } from "@linefleet/example-echo-bot";

// biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
type AnyBot = Bot<any, any>;

/** The bot a worker runs: the module named by BOT_MODULE, else the echo bot. */
export async function loadBot(modulePath: string | undefined): Promise<AnyBot> {
  if (!modulePath) return createEchoBot();
  const path = resolve(modulePath);
  if (!existsSync(path)) throw new ConfigError([`BOT_MODULE is invalid: no file ${path}`]);
  const loaded = (await import(pathToFileURL(path).href)) as {
    default?: unknown;
    bot?: unknown;
  };
  const bot = loaded.bot ?? loaded.default;
  if (!bot || typeof (bot as Bot).dispatch !== "function") {
    throw new ConfigError([
      `BOT_MODULE is invalid: ${modulePath} must export a Bot (from createBot()) as "bot" or default`,
    ]);
  }
  return bot as AnyBot;
}
