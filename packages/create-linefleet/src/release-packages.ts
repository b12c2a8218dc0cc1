import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readTarballManifest } from "./tarball-manifest.ts";
import { UsageError } from "./usage-error.ts";

/** One of linefleet's packages, as a tarball in a release folder. */
export interface ReleasePackage {
  name: string;
  version: string;
  /** Absolute path of the tarball. */
  file: string;
}

/** The packages a new project depends on by name; the others come in as their dependencies. */
const requiredPackages = ["@linefleet/bot", "@linefleet/testing", "linefleet"] as const;

const isLinefleetPackage = (name: string) => name === "linefleet" || name.startsWith("@linefleet/");

/**
 * Every linefleet package among the tarballs in `dir`, named by its manifest (not its file name).
 * Fails with a message when `dir` is missing or lacks one of the `requiredPackages`.
 */
export async function readReleasePackages(dir: string, cwd: string): Promise<ReleasePackage[]> {
  const folder = resolve(cwd, dir);
  const isFolder = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    throw new UsageError(`--packages ${dir}: no such folder (run pnpm release:pack first?)`);
  }
  const tarballs = (await readdir(folder)).filter((file) => file.endsWith(".tgz")).sort();
  const packages: ReleasePackage[] = [];
  for (const tarball of tarballs) {
    const file = join(folder, tarball);
    const { name, version } = await readTarballManifest(file);
    if (typeof name !== "string" || typeof version !== "string" || !isLinefleetPackage(name)) {
      continue;
    }
    const twin = packages.find((p) => p.name === name);
    if (twin) {
      throw new UsageError(`--packages ${dir}: two tarballs of ${name}: ${twin.file} and ${file}`);
    }
    packages.push({ name, version, file });
  }
  const missing = requiredPackages.filter((name) => !packages.some((p) => p.name === name));
  if (missing.length > 0) {
    throw new UsageError(
      `--packages ${dir}: no tarball of ${missing.join(", ")} in ${folder} (run pnpm release:pack first?)`,
    );
  }
  return packages;
}
