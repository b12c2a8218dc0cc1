// linefleet richmenu sync <module> [--dry-run] [--channel <name>] — make the channel's rich menus on LINE what a
// module declares (docs/rich-menus.md).
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { HTTPFetchError } from "@line/bot-sdk";
import { importUserModule } from "@linefleet/bot-loader";
import { ConfigError, exitWithConfigError, printableUrl } from "@linefleet/config";
import { withTimeout } from "@linefleet/errors";
import { toLineApiError } from "@linefleet/line-client";
import { readDeclaredMenus, syncRichMenus } from "@linefleet/rich-menus";
import { openChannelClient } from "./channel-client.ts";

const usage = `Usage: linefleet richmenu sync <module> [--dry-run] [--channel <name>]

Makes the channel's rich menus on LINE the ones <module> declares (its default export: an array
of menus, see docs/rich-menus.md). Creates what is missing, replaces what changed (new menu and
image, alias re-pointed, the users linked to the old menu moved to the new one, then the old menu
deleted), deletes the menus it created that are no longer declared, and sets the default menu.
Prints each action; a second run prints "nothing to change".

  --dry-run          print what it would do and change nothing
  --channel <name>   the channel of CHANNELS_FILE whose menus to sync (needed when it has
                     several and none is named default)

Reads CHANNELS_FILE or LINE_CHANNEL_ACCESS_TOKEN, LINE_API_BASE_URL and LINE_DATA_API_BASE_URL
(and, for a channel with managed tokens, REDIS_URL and QUEUE_PREFIX, where the workers keep its
token). With neither set and a linefleet dev running with its emulator, it syncs that emulator's
menus.`;

const { positionals, values } = parseFlags();
const [command, modulePath, ...extra] = positionals;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (command !== "sync" || !modulePath || extra.length > 0) {
  console.error(
    command === "sync" && !modulePath ? `richmenu sync: give the module\n\n${usage}` : usage,
  );
  process.exit(2);
}

const line = await withTimeout(
  openChannelClient(values.channel),
  30_000,
  "taking the channel's access token",
).catch((error: Error) => {
  if (error instanceof ConfigError) exitWithConfigError(error);
  console.error(`richmenu sync: no access token for the channel: ${error.message}`);
  process.exit(1);
});
console.error(`richmenu sync: channel ${line.channel}, LINE at ${printableUrl(line.apiBaseUrl)}`);
const client = line.client;

try {
  const exported = await importUserModule(modulePath, { variable: "the module" }).catch(
    (error: Error) => {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError([`the module ${modulePath} cannot be loaded: ${error.message}`]);
    },
  );
  // A TypeScript module outside an ESM package loads as CommonJS: its default export is then
  // the `default` of what `import()` calls default.
  const commonJs = (exported.default as { default?: unknown } | undefined)?.default;
  const declared = await readDeclaredMenus(commonJs ?? exported.default, {
    baseDir: dirname(resolve(modulePath)),
    module: modulePath,
  });
  const dryRun = values["dry-run"];
  const { actions } = await syncRichMenus(declared, client, {
    dryRun,
    report: (line) => console.log(line),
  });
  if (actions.length === 0) {
    const menus = declared.length === 1 ? "1 menu" : `${declared.length} menus`;
    console.log(`nothing to change (${menus} up to date)`);
  } else if (dryRun) {
    console.log(`dry run: ${actions.length} changes planned, none made`);
  } else {
    console.log(`done: ${actions.length} changes`);
  }
} catch (error) {
  process.exitCode = 1;
  if (error instanceof ConfigError) exitWithConfigError(error);
  if ((error as { code?: string }).code?.startsWith("LF_")) {
    console.error((error as Error).message);
  } else {
    const lineError = toLineApiError(error);
    console.error(`richmenu sync: ${lineError.message}${detailsOf(lineError.cause)}`);
  }
} finally {
  line.close();
}

/** The properties LINE named in a 400's `details`, one a line. */
function detailsOf(cause: unknown): string {
  if (!(cause instanceof HTTPFetchError)) return "";
  try {
    const { details } = JSON.parse(cause.body) as {
      details?: Array<{ property?: string; message?: string }>;
    };
    return (details ?? []).map((d) => `\n  - ${d.property ?? "?"}: ${d.message ?? ""}`).join("");
  } catch {
    return "";
  }
}

/** The command line; an unknown flag prints the usage (exit code 2), not a stack trace. */
function parseFlags() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        channel: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`richmenu: ${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
