import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { npmInstall } from "./npm-install.ts";
import { helpText, type Options, parseCommand } from "./options.ts";
import { projectManifest } from "./project-manifest.ts";
import { readReleasePackages } from "./release-packages.ts";
import { scaffold } from "./scaffold.ts";
import { UsageError } from "./usage-error.ts";

export interface Io {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** `npm install` in a folder; resolves with its exit code. */
  install?: (dir: string) => Promise<number | null>;
}

/** The whole command: resolves with its exit code; a usage mistake is one message, no stack. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.kind === "help") io.out(helpText);
    if (command.kind === "version") io.out(`${await ownVersion()}\n`);
    if (command.kind === "create") return await create(command.options, io);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`create-linefleet: ${error.message}\n`);
    return 1;
  }
}

async function create(options: Options, io: Io): Promise<number> {
  const dir = resolve(io.cwd, options.dir);
  const release = options.packages
    ? { packages: await readReleasePackages(options.packages, io.cwd), projectDir: dir }
    : undefined;
  const name = packageNameOf(dir);
  const manifest = projectManifest({
    name,
    linefleetVersion: await ownVersion(),
    js: options.js,
    release,
  });
  await scaffold({ dir, js: options.js, manifest: { ...manifest, name } });
  const shown = options.dir; // as the user wrote it, for the `cd` they will type
  io.out(`Created ${name} (${options.js ? "JavaScript" : "TypeScript"}) in ${dir}\n`);
  if (options.install) {
    io.out("Installing its dependencies with npm install…\n");
    const code = await (io.install ?? npmInstall)(dir).catch((error: Error) => {
      // npm missing from PATH, most likely: the files are written, the rest is up to the user.
      throw new UsageError(`could not run npm install (${error.message}); run it in ${shown}`);
    });
    if (code !== 0) {
      io.err(
        `create-linefleet: npm install failed (exit code ${code}); run it again in ${shown}\n`,
      );
      return 1;
    }
  }
  io.out(
    `\nNext:\n  cd ${shown}\n${options.install ? "" : "  npm install\n"}` +
      "  npm run dev     # the bot with a local LINE and its chat UI\n" +
      "  npm test        # the bot's tests\n",
  );
  return 0;
}

/** The folder's name as an npm package name: lower case, no spaces or other signs npm refuses. */
function packageNameOf(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+/, "");
  return name || "my-bot";
}

/** create-linefleet's version, which is linefleet's: all its packages are released together. */
async function ownVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  return manifest.version;
}
