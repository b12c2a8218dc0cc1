import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "./usage-error.ts";

const templates = fileURLToPath(new URL("../templates/", import.meta.url));

/**
 * Files npm leaves out of a package tarball, or would act on, are kept under another name in
 * `templates/` and renamed when written.
 */
const renamed: Record<string, string> = { _gitignore: ".gitignore" };

export interface ScaffoldInput {
  /** The project's folder (absolute); created if missing, refused if not empty. */
  dir: string;
  js: boolean;
  /** The project's package.json. */
  manifest: Record<string, unknown> & { name: string };
}

/** Writes the project's files: the templates for its language, then its package.json. */
export async function scaffold({ dir, js, manifest }: ScaffoldInput): Promise<void> {
  await ensureEmpty(dir);
  const bot = js ? "src/bot.js" : "src/bot.ts";
  const values: Record<string, string> = {
    name: manifest.name,
    bot,
    test: js ? "test/bot.test.js" : "test/bot.test.ts",
    typecheck: js
      ? "\n- `npm run typecheck` checks the JavaScript with `tsc` from the types it infers\n" +
        "  (`tsconfig.json`: `checkJs`, strict)."
      : "\n- `npm run typecheck` checks the types with `tsc` (`tsconfig.json`, strict).",
  };
  for (const from of [join(templates, "common"), join(templates, js ? "js" : "ts")]) {
    await copyTemplates(from, dir, values);
  }
  await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function ensureEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return void (await mkdir(dir, { recursive: true }));
    if (code === "ENOTDIR") throw new UsageError(`${dir} is a file, not a directory.`);
    throw error;
  }
  if (entries.length > 0) {
    throw new UsageError(
      `${dir} is not empty (it has ${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", …" : ""}).\n` +
        "create-linefleet writes only into a new or empty directory, so nothing of yours is overwritten.",
    );
  }
}

/** Copies a template folder, filling in `{{name}}`-style placeholders in every file. */
async function copyTemplates(from: string, to: string, values: Record<string, string>) {
  const files = await readdir(from, { recursive: true, withFileTypes: true });
  for (const file of files.filter((entry) => entry.isFile())) {
    const source = join(file.parentPath, file.name);
    const target = join(to, relative(from, file.parentPath), renamed[file.name] ?? file.name);
    await mkdir(join(target, ".."), { recursive: true });
    const text = await readFile(source, "utf8");
    await writeFile(
      target,
      text.replace(/\{\{(\w+)\}\}/g, (all, key: string) => values[key] ?? all),
    );
  }
}
