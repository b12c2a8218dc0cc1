export interface Command {
  name: string;
  /** One line for `linefleet --help`. */
  summary: string;
  /** `<bot>`-style positionals shown in the usage line. */
  args?: string;
  /**
   * The command's own help. Commands that parse their own flags (`trigger`, `dead-letters`,
   * `doctor`) print it themselves, from the same text `pnpm <command> --help` shows.
   */
  help?: () => Promise<string>;
  /** Takes the bot module as its one positional (it becomes BOT_MODULE). */
  takesBot?: boolean;
  /** Runs the command: each is the process's main module, which reads its flags from argv. */
  run: () => Promise<unknown>;
}

/** The variables a process reads, from its env schema, wrapped at 100 columns. */
function variables(schema: { shape: Record<string, unknown> }): string {
  const lines = ["Environment variables:"];
  for (const name of Object.keys(schema.shape)) {
    const last = lines.length - 1;
    if (`${lines[last]} ${name},`.length > 100) lines.push(`  ${name},`);
    else lines[last] = `${lines[last]} ${name},`;
  }
  return `${lines.join("\n").slice(0, -1)}.`;
}

const botArgument = `[bot] is the bot's module (TypeScript or JavaScript) exporting a Bot from createBot()
as "bot" or default; it sets BOT_MODULE. TypeScript is compiled as it loads, enums included.`;

export const commands: Command[] = [
  {
    name: "dev",
    args: "[bot]",
    summary: "the whole local stack: Redis, the LINE emulator and its chat UI, ingress, workers",
    takesBot: true,
    help: async () => `Starts Redis (a local redis-server, else a container where Docker is reachable) unless
REDIS_URL is set, the LINE emulator and its chat UI unless LINE credentials are set, the ingress
on PORT (3000) and DEV_WORKERS (2) workers running the bot. The workers restart when a file in the
bot's directory changes; a rich-menus.ts beside the bot is synced to the emulator at start and
after each change (docs/rich-menus.md). Ctrl-C stops it all.

${botArgument}
Without it: BOT_MODULE, else src/bot.ts when it exists, else the echo bot.`,
    run: () => import("../dev/main.ts"),
  },
  {
    name: "ingress",
    summary: "the webhook ingress: verifies, dedupes and queues LINE's events",
    // The schemas are loaded for the help only: a command itself starts without them.
    help: async () => variables((await import("@linefleet/ingress")).ingressEnvSchema),
    run: () => import("@linefleet/app-ingress/main"),
  },
  {
    name: "worker",
    args: "[bot]",
    summary: "one worker process running the bot",
    takesBot: true,
    help: async () => `${botArgument}
Without it: BOT_MODULE, else the echo bot.

${variables((await import("@linefleet/config")).workerEnvSchema)}`,
    run: () => import("@linefleet/app-worker/main"),
  },
  {
    name: "emulator",
    summary: "the local LINE platform emulator and its chat UI",
    help: async () => variables((await import("@linefleet/app-emulator/env")).emulatorEnvSchema),
    run: () => import("@linefleet/app-emulator/main"),
  },
  {
    name: "trigger",
    args: "<event> [flags]",
    summary: "sends an event to a running bot through the emulator",
    run: () => import("@linefleet/app-emulator/trigger"),
  },
  {
    name: "dead-letters",
    args: "<list|show|replay|prune>",
    summary: "inspects and replays events that failed for good",
    run: () => import("@linefleet/app-worker/dead-letters"),
  },
  {
    name: "richmenu",
    args: "sync <module> [--dry-run] [--channel <name>]",
    summary: "makes the channel's rich menus on LINE the ones a module declares",
    run: () => import("../richmenu/main.ts"),
  },
  {
    name: "doctor",
    args: "[--url URL] [--ingress-url URL] [--json]",
    summary: "checks the whole setup and explains each problem with its fix",
    run: () => import("@linefleet/app-doctor/main"),
  },
];
