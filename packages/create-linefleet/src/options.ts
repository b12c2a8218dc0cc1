import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.ts";

export interface Options {
  /** Where the project goes: a new or empty directory. */
  dir: string;
  /** Plain JavaScript instead of TypeScript. */
  js: boolean;
  /** A folder of linefleet's package tarballs to install instead of the registry's packages. */
  packages: string | undefined;
  /** Run `npm install` in the new project. */
  install: boolean;
}

export type Command = { kind: "create"; options: Options } | { kind: "help" } | { kind: "version" };

export const helpText = `Usage: create-linefleet <dir> [options]

Creates a LINE bot project on linefleet in <dir> (a new or empty directory) and runs npm install.

Options:
  --js               plain JavaScript instead of TypeScript
  --packages <dir>   install linefleet's packages from the tarballs in <dir> (what
                     pnpm release:pack writes into release/) instead of the npm registry
  --no-install       only write the files; run npm install yourself
  -h, --help         show this help
  -v, --version      show the version

Then: cd <dir> && npm run dev
`;

export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // parseArgs's first sentence says what is wrong; its advice after it, code and stack do not help.
    const [what] = (error as Error).message.split(". ");
    throw new UsageError(`${what}.\n\n${helpText}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [dir, ...extra] = positionals;
  if (!dir) throw new UsageError(`Name the directory to create the bot in.\n\n${helpText}`);
  if (extra.length > 0) {
    throw new UsageError(`One directory only; also got: ${extra.join(" ")}\n\n${helpText}`);
  }
  return {
    kind: "create",
    options: { dir, js: values.js, packages: values.packages, install: values.install },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    allowNegative: true,
    options: {
      js: { type: "boolean", default: false },
      packages: { type: "string" },
      install: { type: "boolean", default: true },
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", short: "v", default: false },
    },
  });
}
