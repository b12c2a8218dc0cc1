import { existsSync } from "node:fs";
import { join } from "node:path";

/** A project made by create-linefleet keeps its bot here. */
const conventionalBot = join("src", "bot.ts");

/**
 * The bot `linefleet dev` runs when none is named: BOT_MODULE, else `src/bot.ts` when the project
 * has one, else none (the worker's own default, the echo bot).
 */
export function defaultDevBot(botModule: string | undefined, cwd: string): string | undefined {
  if (botModule) return botModule;
  return existsSync(join(cwd, conventionalBot)) ? conventionalBot : undefined;
}
