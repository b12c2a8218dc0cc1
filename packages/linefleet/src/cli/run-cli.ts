import { type Command, commands } from "./commands.ts";
import { linefleetVersion } from "./version.ts";

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    "Usage: linefleet <command> [options]",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Options:",
    "  -h, --help     this help, or a command's (linefleet <command> --help)",
    "  -v, --version  linefleet's version",
  ].join("\n");
}

async function commandHelp(command: Command): Promise<string> {
  const usage = `Usage: linefleet ${command.name}${command.args ? ` ${command.args}` : ""}`;
  return `${usage}\n\n${command.summary}.\n\n${(await command.help?.()) ?? ""}`.trimEnd();
}

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h";
const isVersion = (arg: string | undefined) => arg === "--version" || arg === "-v";

/**
 * Runs `linefleet <command> …` (args without node and the script). The command's module runs as
 * the process's main module and reads its own flags from `process.argv`, exactly as when it is run
 * alone, so the command's name is taken out of `process.argv` before it loads.
 */
export async function runCli(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || isHelp(name)) {
    console.log(overview());
    if (name === undefined) process.exitCode = 2;
    return;
  }
  if (isVersion(name)) {
    console.log(linefleetVersion());
    return;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`linefleet: unknown command ${name}\n\n${overview()}`);
    process.exitCode = 2;
    return;
  }
  if (isVersion(rest[0])) {
    console.log(linefleetVersion());
    return;
  }
  // The commands that parse their own flags print their own help.
  if (rest.some(isHelp) && command.help !== undefined) {
    console.log(await commandHelp(command));
    return;
  }
  if (command.takesBot) {
    if (rest.length > 1 || rest[0]?.startsWith("-")) {
      console.error(
        `linefleet ${name}: unexpected ${rest.join(" ")}\n\n${await commandHelp(command)}`,
      );
      process.exitCode = 2;
      return;
    }
    if (rest[0] !== undefined) process.env.BOT_MODULE = rest[0];
    rest.length = 0;
  }
  process.argv.splice(2, process.argv.length - 2, ...rest);
  await command.run();
}
