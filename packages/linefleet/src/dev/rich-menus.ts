import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";

/** The names `linefleet dev` looks for beside the bot, in this order. */
const conventional = ["rich-menus.ts", "rich-menus.js"];

/** The rich-menus module in the bot module's directory, if it has one. */
export function richMenusBesideBot(botModule: string): string | undefined {
  const directory = dirname(resolve(botModule));
  return conventional.map((name) => join(directory, name)).find((path) => existsSync(path));
}

/**
 * Runs `linefleet richmenu sync <module>` against the dev stack's emulator, printing its lines
 * through `print`. A failed sync is reported, never fatal: the stack runs on without the menus.
 */
export function syncRichMenus(
  cliPath: string,
  module: string,
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): { child: ChildProcess; done: Promise<void> } {
  const child = spawn(process.execPath, [cliPath, "richmenu", "sync", module], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
      if (line) print(line);
    });
  }
  const done = new Promise<void>((resolveDone) =>
    child.once("exit", (code) => {
      if (code !== 0 && code !== null) print(`the rich menus were not synced (exit code ${code})`);
      resolveDone();
    }),
  );
  return { child, done };
}
