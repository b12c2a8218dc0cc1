import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { packRelease, releaseTarballs, repoRoot, startApp } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface PackedManifest {
  name: string;
  version: string;
  license?: string;
  engines?: { node?: string };
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
}

const publicPackages = [
  "linefleet",
  "@linefleet/bot",
  "@linefleet/testing",
  "@linefleet/rich-menus",
];
const commands = [
  "dev",
  "ingress",
  "worker",
  "emulator",
  "trigger",
  "dead-letters",
  "richmenu",
  "doctor",
];

/** A tarball's file list and its package.json, read with tar. */
function readTarball(file: string) {
  const entries = execFileSync("tar", ["-tzf", file], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ""));
  const manifest = JSON.parse(
    execFileSync("tar", ["-xzOf", file, "package/package.json"], { encoding: "utf8" }),
  ) as PackedManifest;
  return { entries, manifest };
}

function exportTargets(manifest: PackedManifest): string[] {
  return Object.values(manifest.exports ?? {}).flatMap((target) =>
    typeof target === "string" ? [target] : Object.values(target),
  );
}

/** `pnpm release:pack`'s tarballs, installed together into a project outside the repository. */
describe("pnpm release:pack", () => {
  let releaseDir: string;
  let tarballs: Map<string, ReturnType<typeof readTarball>>;
  let project: string;
  // Plain Node, and the `node` a package's bin runs with (`#!/usr/bin/env node`) is this one.
  const env = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    HOME: process.env.HOME ?? tmpdir(),
  };
  const linefleet = (args: string[]) =>
    spawnSync(join(project, "node_modules/.bin/linefleet"), args, {
      cwd: project,
      env: { ...env, NODE_OPTIONS: "--no-experimental-strip-types" },
      encoding: "utf8",
      timeout: 20_000,
    });

  beforeAll(() => {
    releaseDir = packRelease();
    tarballs = new Map(
      releaseTarballs(releaseDir).map((file) => {
        const tarball = readTarball(file);
        return [tarball.manifest.name, tarball];
      }),
    );
    project = mkdtempSync(join(tmpdir(), "linefleet-consumer-"));
    // linefleet's packages from the tarballs — each one wherever it is depended on (overrides), so
    // npm never asks the registry for them — and the rest (and @types/node) from the registry.
    const fromTarballs = Object.fromEntries(
      releaseTarballs(releaseDir).map((file) => [readTarball(file).manifest.name, `file:${file}`]),
    );
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        type: "module",
        dependencies: { ...fromTarballs, "@types/node": "^24.0.0" },
        overrides: fromTarballs,
      }),
    );
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
      { cwd: project, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] },
    );
  }, 240_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("packs the public packages and everything they depend on, all at the root's version", () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    for (const name of publicPackages) expect(tarballs.has(name), name).toBe(true);
    for (const { manifest } of tarballs.values()) {
      expect(manifest.version, manifest.name).toBe(version);
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
        expect(range, `${manifest.name} → ${dependency}`).not.toMatch(/^workspace:/);
        // Our packages depend on each other at exactly this release, and each one is packed.
        if (tarballs.has(dependency))
          expect(range, `${manifest.name} → ${dependency}`).toBe(version);
        else expect(dependency, manifest.name).not.toMatch(/^@linefleet\/|^linefleet$/);
      }
    }
  });

  it("points exports (JS and .d.ts) and bin at files in the tarball", () => {
    for (const { manifest, entries } of tarballs.values()) {
      const targets = [...exportTargets(manifest), ...Object.values(manifest.bin ?? {})];
      // A package with an API has its types; a command alone (create-linefleet) has only its bin.
      if (exportTargets(manifest).length > 0) {
        expect(
          exportTargets(manifest).some((target) => target.endsWith(".d.ts")),
          manifest.name,
        ).toBe(true);
      } else {
        expect(Object.keys(manifest.bin ?? {}), manifest.name).not.toEqual([]);
      }
      for (const target of targets) {
        expect(target, manifest.name).toMatch(/^\.\/dist\/.*\.(js|d\.ts)$/);
        expect(entries, manifest.name).toContain(target.slice(2));
      }
      expect(
        entries.some((entry) => entry.startsWith("src/")),
        manifest.name,
      ).toBe(false);
    }
  });

  it("gives each public package a README, a license, engines and its files", () => {
    for (const name of publicPackages) {
      const { manifest, entries } = tarballs.get(name) as ReturnType<typeof readTarball>;
      expect(entries, name).toContain("README.md");
      expect(manifest.license, name).toBe("MIT");
      expect(manifest.engines?.node, name).toMatch(/^>=22/);
      expect(manifest.files, name).toContain("dist");
    }
  });

  it("leaves linefleet's own test infrastructure out of the test kit", () => {
    const { manifest, entries } = tarballs.get("@linefleet/testing") as ReturnType<
      typeof readTarball
    >;
    for (const internal of ["redis-cluster", "certificates", "line-recorder", "round-robin"]) {
      expect(
        entries.filter((entry) => entry.includes(internal)),
        internal,
      ).toEqual([]);
    }
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain("@peculiar/x509");
  });

  it("emits JavaScript that imports no .ts file", () => {
    const installed = [
      join(project, "node_modules/linefleet/dist"),
      ...readdirSync(join(project, "node_modules/@linefleet")).map((name) =>
        join(project, "node_modules/@linefleet", name, "dist"),
      ),
    ];
    const tsImport = /(?:from|import\()\s*["'][^"']+\.(?:ts|mts|cts)["']/;
    for (const dir of installed) {
      for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
        if (!file.endsWith(".js")) continue;
        expect(readFileSync(join(dir, file), "utf8"), join(dir, file)).not.toMatch(tsImport);
      }
    }
  });

  it("typechecks a consumer's bot and test with skipLibCheck off", () => {
    mkdirSync(join(project, "src"), { recursive: true });
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2023",
          module: "nodenext",
          moduleResolution: "nodenext",
          types: ["node"],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        include: ["src"],
      }),
    );
    writeFileSync(
      join(project, "src/bot.ts"),
      [
        'import { createBot, NonRetriableError } from "@linefleet/bot";',
        'import { startBotTest } from "@linefleet/testing";',
        'import { cliPath } from "linefleet";',
        "export const bot = createBot().onText(async (ctx, text) => {",
        '  if (text === "fail") throw new NonRetriableError("no");',
        "  await ctx.reply(text);",
        "});",
        "export async function check(): Promise<string> {",
        "  const test = await startBotTest({ bot });",
        '  const answers = await test.user("Alice").says("hi");',
        "  await test.stop();",
        '  return [cliPath, answers[0]?.text].join(" ");',
        "}",
      ].join("\n"),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", project],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  it("runs `linefleet --version` and `--help`, and each command's --help, on plain Node", () => {
    const version = linefleet(["--version"]);
    expect(version.stdout.trim()).toBe(tarballs.get("linefleet")?.manifest.version);
    const help = linefleet(["--help"]);
    expect(help.status).toBe(0);
    for (const command of commands) {
      expect(help.stdout).toContain(`  ${command} `);
      const commandHelp = linefleet([command, "--help"]);
      expect(commandHelp.stderr, command).toBe("");
      expect(commandHelp.status, command).toBe(0);
      expect(commandHelp.stdout, command).toMatch(/Usage: /);
      expect(linefleet([command, "--version"]).stdout.trim(), command).toBe(version.stdout.trim());
    }
  });

  it("runs the emulator and its chat UI from node_modules", async () => {
    const emulator = startApp(
      "emulator",
      join(project, "node_modules/linefleet/dist/cli.js"),
      { ...env, EMULATOR_PORT: "0" },
      ["--no-experimental-strip-types"],
      ["emulator"],
    );
    try {
      const ready = await emulator.waitForLine((line) => typeof line.chatUiUrl === "string");
      const page = await fetch(ready.chatUiUrl as string);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
    } finally {
      await emulator.stop();
    }
  });
});
