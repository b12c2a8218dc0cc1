import { existsSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Bot } from "@linefleet/bot";
import { ConfigError } from "@linefleet/config";
import { compileTypeScript } from "./compile-typescript.ts";

// biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
export type AnyBot = Bot<any, any>;

const typeScriptExtensions = new Set([".ts", ".mts", ".cts", ".tsx"]);

/**
 * Imports the bot module at `modulePath` (relative to the working directory) and returns the Bot
 * it exports as `bot` or default. TypeScript is compiled as it loads, whatever syntax it uses.
 * A missing file or a module without a Bot is a ConfigError naming `variable` (BOT_MODULE).
 */
export async function loadBotModule(
  modulePath: string,
  { variable = "BOT_MODULE" }: { variable?: string } = {},
): Promise<AnyBot> {
  const loaded = (await importUserModule(modulePath, { variable })) as {
    default?: unknown;
    bot?: unknown;
  };
  const bot = loaded.bot ?? loaded.default;
  if (!bot || typeof (bot as Bot).dispatch !== "function") {
    throw new ConfigError([
      `${variable} is invalid: ${modulePath} must export a Bot (from createBot()) as "bot" or default`,
    ]);
  }
  return bot as AnyBot;
}

/**
 * Imports a module of the user's (a bot, a rich-menus module) at `modulePath`, relative to the
 * working directory, TypeScript compiled as it loads. A missing file is a ConfigError naming
 * `variable` (how the user gave the path).
 */
export async function importUserModule(
  modulePath: string,
  { variable }: { variable: string },
): Promise<Record<string, unknown>> {
  const path = resolve(modulePath);
  if (!existsSync(path)) throw new ConfigError([`${variable} is invalid: no file ${path}`]);
  if (typeScriptExtensions.has(extname(path))) await compileTypeScript();
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}
