// `pnpm release:pack`: builds every packed package to JavaScript with declarations and writes its
// tarball into release/. docs/releasing.md says which packages are packed and why.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const releaseDir = join(root, "release");
const buildDir = join(root, ".release-build");

interface Manifest {
  name: string;
  version?: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  publishConfig?: unknown;
}

interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

function workspacePackages(): WorkspacePackage[] {
  return ["apps", "packages", "examples"].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, group, entry.name))
      .map((dir) => ({ dir, manifest: readManifest(dir) })),
  );
}

/** A package is packed when it says how it is published (`publishConfig`). */
function packedPackages(all: WorkspacePackage[], version: string): WorkspacePackage[] {
  const packed = all.filter((pkg) => pkg.manifest.publishConfig !== undefined);
  const names = new Set(packed.map((pkg) => pkg.manifest.name));
  const problems: string[] = [];
  for (const { manifest } of packed) {
    if (manifest.version !== version) {
      problems.push(`${manifest.name} is at ${manifest.version}, the release is ${version}`);
    }
    // A tarball that depends on a package we do not pack could not be installed.
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
      if (range.startsWith("workspace:") && !names.has(dependency)) {
        problems.push(`${manifest.name} depends on ${dependency}, which has no publishConfig`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`cannot pack:\n  ${problems.join("\n  ")}`);
  return packed;
}

function build(packed: WorkspacePackage[]) {
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  // One compilation for every package: each imports the others' sources through the workspace,
  // and emits its own `.js` and `.d.ts` under its own path.
  const tsconfig = {
    extends: "../tsconfig.base.json",
    compilerOptions: {
      noEmit: false,
      declaration: true,
      // The sources import `./x.ts` (Node runs them as they are); the emitted files import `./x.js`.
      rewriteRelativeImportExtensions: true,
      rootDir: "..",
      outDir: ".",
    },
    include: packed.map((pkg) => `../${relative(root, pkg.dir)}/src/**/*.ts`),
  };
  const configPath = join(buildDir, "tsconfig.json");
  writeFileSync(configPath, JSON.stringify(tsconfig, null, 2));
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", configPath], { stdio: "inherit" });
  for (const pkg of packed) {
    const dist = join(pkg.dir, "dist");
    rmSync(dist, { recursive: true, force: true });
    cpSync(join(buildDir, relative(root, pkg.dir), "src"), dist, { recursive: true });
  }
}

function pack(packed: WorkspacePackage[]) {
  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(releaseDir, { recursive: true });
  for (const pkg of packed) {
    // pnpm applies publishConfig (exports → dist) and turns `workspace:*` into the exact version.
    execFileSync("pnpm", ["pack", "--pack-destination", releaseDir], {
      cwd: pkg.dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    // The workspace runs from src/: a dist/ left behind would only go stale.
    rmSync(join(pkg.dir, "dist"), { recursive: true, force: true });
  }
}

const started = performance.now();
const version = readManifest(root).version;
if (!version) throw new Error("the root package.json has no version");
const packed = packedPackages(workspacePackages(), version);
build(packed);
pack(packed);
rmSync(buildDir, { recursive: true, force: true });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `packed ${packed.length} packages at ${version} into release/ in ${seconds} s\n`,
);
