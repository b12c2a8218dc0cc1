import { relative, sep } from "node:path";
import type { ReleasePackage } from "./release-packages.ts";

/** The tools a project runs with, at the versions linefleet itself is built and tested with. */
const toolVersions = {
  typescript: "^7.0.2",
  vitest: "^5.1.2",
  "@types/node": "^24.0.0",
} as const;

export interface ManifestInput {
  /** The package name of the project. */
  name: string;
  /** The version of linefleet's packages (one version for all of them). */
  linefleetVersion: string;
  js: boolean;
  /** linefleet's packages from tarballs instead of the registry, with the project's folder. */
  release?: { packages: readonly ReleasePackage[]; projectDir: string } | undefined;
}

/** The new project's `package.json`. */
export function projectManifest(input: ManifestInput): Record<string, unknown> {
  const bot = input.js ? "src/bot.js" : "src/bot.ts";
  const spec = specOf(input);
  return {
    name: input.name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=22.18" },
    scripts: {
      dev: `linefleet dev ${bot}`,
      test: "vitest run",
      // JavaScript too: tsc checks it from what it infers (tsconfig.json's checkJs).
      typecheck: "tsc --noEmit",
      "start:ingress": "linefleet ingress",
      "start:worker": `linefleet worker ${bot}`,
    },
    dependencies: { "@linefleet/bot": spec("@linefleet/bot"), linefleet: spec("linefleet") },
    devDependencies: {
      "@linefleet/testing": spec("@linefleet/testing"),
      ...toolVersions,
    },
    // Every linefleet package, also where another one depends on it, from the same tarballs.
    ...(input.release ? { overrides: overridesOf(input.release) } : {}),
  };
}

/** How the project asks for one of linefleet's packages: a version range, or its tarball. */
function specOf(input: ManifestInput): (name: string) => string {
  const release = input.release;
  if (!release) return () => `^${input.linefleetVersion}`;
  return (name) => {
    const found = release.packages.find((p) => p.name === name);
    if (!found) throw new Error(`no tarball of ${name}`); // readReleasePackages checked them all
    return fileSpec(release.projectDir, found.file);
  };
}

function overridesOf(release: NonNullable<ManifestInput["release"]>): Record<string, string> {
  return Object.fromEntries(
    release.packages.map((p) => [p.name, fileSpec(release.projectDir, p.file)]),
  );
}

/**
 * `file:` and the tarball's path: relative to the project, as npm itself writes it, when the two
 * are close (a project beside the clone: `file:../linefleet/release/…`), else absolute.
 */
function fileSpec(projectDir: string, file: string): string {
  const path = relative(projectDir, file).split(sep).join("/");
  return `file:${path.startsWith("../../") ? file : path}`;
}
