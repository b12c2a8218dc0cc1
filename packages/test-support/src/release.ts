import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./repo-root.ts";

const releaseDir = join(repoRoot, "release");
const stampFile = join(releaseDir, ".tree");

/**
 * The hash of the working tree as it is now, uncommitted changes included (not what .gitignore
 * leaves out): what `pnpm release:pack` would build. Written through a scratch index, so the real
 * index and the files are left alone.
 */
function workingTreeHash(): string {
  const scratch = mkdtempSync(join(tmpdir(), "linefleet-index-"));
  const env = { ...process.env, GIT_INDEX_FILE: join(scratch, "index") };
  try {
    execFileSync("git", ["read-tree", "HEAD"], { cwd: repoRoot, env });
    execFileSync("git", ["add", "--all", "."], { cwd: repoRoot, env });
    return execFileSync("git", ["write-tree"], { cwd: repoRoot, env, encoding: "utf8" }).trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `pnpm release:pack` unless `release/` already holds the tarballs of this very working
 * tree (it is slow: every test that needs the tarballs shares one run). Returns the tarballs'
 * directory.
 */
export function packRelease(): string {
  const tree = workingTreeHash();
  const packed = existsSync(stampFile) && readFileSync(stampFile, "utf8") === tree;
  if (!packed) {
    execFileSync(process.execPath, ["scripts/release/pack.ts"], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "inherit"],
    });
    writeFileSync(stampFile, tree);
  }
  return releaseDir;
}

/** The tarballs `packRelease()` wrote, by file name. */
export function releaseTarballs(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".tgz"))
    .map((file) => join(dir, file));
}
