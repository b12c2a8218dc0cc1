// Replaces the emulator's copies of LINE's OpenAPI files with those of one commit of
// line/line-openapi, and records that commit in SOURCE:
//
//   node scripts/update-line-specs.ts <commit> [--dir <specs folder>]
//
// Every file is downloaded and parsed before any is written, so a failed run changes nothing.
// LINE_OPENAPI_RAW_URL points it at another copy of the repository's raw files (a mirror).
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LINE_SPEC_NAMES, type LineSpecName, parseLineSpec } from "@linefleet/emulator";

const REPOSITORY = "https://github.com/line/line-openapi";
const rawBase = (
  process.env.LINE_OPENAPI_RAW_URL ?? "https://raw.githubusercontent.com/line/line-openapi"
).replace(/\/$/, "");

function fail(message: string): never {
  console.error(`update-line-specs: ${message}`);
  process.exit(1);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { dir: { type: "string" } },
});
const commit = positionals[0] ?? "";
// A full hash, so SOURCE names exactly what was copied (a branch name would move).
if (positionals.length !== 1 || !/^[0-9a-f]{40}$/.test(commit)) {
  fail(
    "usage: node scripts/update-line-specs.ts <40-character commit hash> [--dir <specs folder>]",
  );
}
const dir = resolve(values.dir ?? new URL("../packages/emulator/specs/", import.meta.url).pathname);

async function download(file: string): Promise<string> {
  const url = `${rawBase}/${commit}/${file}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    fail(`could not download ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) fail(`could not download ${url}: HTTP ${response.status}`);
  return response.text();
}

function operationIds(name: LineSpecName, text: string): Set<string> {
  try {
    return new Set(parseLineSpec(name, text).operations.map((operation) => operation.operationId));
  } catch (error) {
    fail(
      `${name}.yml of ${commit} is not an OpenAPI file the emulator can read: ${(error as Error).message}`,
    );
  }
}

function readOld(file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), "utf8");
  } catch {
    return undefined;
  }
}

const files = new Map<string, string>();
for (const name of LINE_SPEC_NAMES) files.set(`${name}.yml`, await download(`${name}.yml`));
files.set("LICENSE", await download("LICENSE"));

const report: string[] = [];
for (const name of LINE_SPEC_NAMES) {
  const fresh = operationIds(name, files.get(`${name}.yml`) ?? "");
  const oldText = readOld(`${name}.yml`);
  const old = oldText === undefined ? new Set<string>() : operationIds(name, oldText);
  const added = [...fresh].filter((id) => !old.has(id));
  const removed = [...old].filter((id) => !fresh.has(id));
  report.push(
    `${name}: ${fresh.size} operations` +
      (added.length ? `; new: ${added.join(", ")}` : "") +
      (removed.length ? `; gone: ${removed.join(", ")}` : ""),
  );
}

// Each file goes in under a temporary name and is then renamed, so no reader sees half a file.
files.set("SOURCE", `repository: ${REPOSITORY}\ncommit: ${commit}\n`);
for (const [file, text] of files) {
  writeFileSync(join(dir, `${file}.new`), text);
  renameSync(join(dir, `${file}.new`), join(dir, file));
}

console.log(`updated ${dir} to line/line-openapi ${commit}`);
for (const line of report) console.log(`  ${line}`);
console.log(
  "New operations answer 501 until they have a handler; the emulator's coverage test names them.",
);
