import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.ts";
import { writeFakeTarball } from "./support/fake-tarball.ts";

const root = mkdtempSync(join(tmpdir(), "create-linefleet-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const own = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const repository = JSON.parse(
  readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
);

/** runCli in `root`, its output kept; `installs` lists the folders npm install would have run in. */
async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const installs: string[] = [];
  const code = await runCli(argv, {
    cwd: root,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    install: async (dir) => {
      installs.push(dir);
      return 0;
    },
  });
  return { code, out, err, installs };
}

const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));

/** Every file of a project, relative to it, sorted. */
const filesOf = (dir: string) =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(join(root, dir).length + 1))
    .sort();

describe("create-linefleet <dir>", () => {
  it("scaffolds a TypeScript bot project with the scripts, its tests and a strict tsconfig", async () => {
    const result = await run("my-bot", "--no-install");
    expect(result).toMatchObject({ code: 0, err: "", installs: [] });
    expect(result.out).toContain("cd my-bot\n  npm install\n  npm run dev");
    expect(filesOf("my-bot")).toEqual([
      ".gitignore",
      "Dockerfile",
      "README.md",
      "docker-compose.yml",
      "package.json",
      "src/bot.ts",
      "test/bot.test.ts",
      "tsconfig.json",
    ]);
    const manifest = manifestOf("my-bot");
    expect(manifest).toMatchObject({ name: "my-bot", private: true, type: "module" });
    expect(manifest.scripts).toEqual({
      dev: "linefleet dev src/bot.ts",
      test: "vitest run",
      typecheck: "tsc --noEmit",
      "start:ingress": "linefleet ingress",
      "start:worker": "linefleet worker src/bot.ts",
    });
    // linefleet's packages at create-linefleet's own version: they are released together.
    expect(manifest.dependencies).toEqual({
      "@linefleet/bot": `^${own.version}`,
      linefleet: `^${own.version}`,
    });
    // The tools at the versions linefleet itself is built with.
    expect(manifest.devDependencies).toEqual({
      "@linefleet/testing": `^${own.version}`,
      typescript: repository.devDependencies.typescript,
      vitest: repository.devDependencies.vitest,
      "@types/node": repository.devDependencies["@types/node"],
    });
    expect(manifest.overrides).toBeUndefined();
    const tsconfig = JSON.parse(readFileSync(join(root, "my-bot/tsconfig.json"), "utf8"));
    expect(tsconfig.compilerOptions).toMatchObject({
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      module: "nodenext",
      noEmit: true,
      allowImportingTsExtensions: true,
    });
    expect(readFileSync(join(root, "my-bot/test/bot.test.ts"), "utf8")).toContain(
      'import { bot } from "../src/bot.ts";',
    );
  });

  it("fills in every placeholder, and its README starts with the two commands", async () => {
    await run("Placeholder Bot", "--no-install");
    for (const file of filesOf("Placeholder Bot")) {
      expect(readFileSync(join(root, "Placeholder Bot", file), "utf8"), file).not.toMatch(/\{\{/);
    }
    const readme = readFileSync(join(root, "Placeholder Bot/README.md"), "utf8");
    expect(readme).toMatch(/^# placeholder-bot\n\n```sh\nnpm run dev .*\nnpm test .*\n```\n/);
    expect(readFileSync(join(root, "Placeholder Bot/docker-compose.yml"), "utf8")).toContain(
      '["node_modules/.bin/linefleet", "worker", "src/bot.ts"]',
    );
    expect(manifestOf("Placeholder Bot").name).toBe("placeholder-bot");
  });

  it("--js scaffolds plain JavaScript, which tsc checks from what it infers", async () => {
    expect(await run("js-bot", "--js", "--no-install")).toMatchObject({ code: 0, err: "" });
    expect(filesOf("js-bot")).toEqual([
      ".gitignore",
      "Dockerfile",
      "README.md",
      "docker-compose.yml",
      "package.json",
      "src/bot.js",
      "test/bot.test.js",
      "tsconfig.json",
    ]);
    const manifest = manifestOf("js-bot");
    expect(manifest.scripts).toEqual({
      dev: "linefleet dev src/bot.js",
      test: "vitest run",
      typecheck: "tsc --noEmit",
      "start:ingress": "linefleet ingress",
      "start:worker": "linefleet worker src/bot.js",
    });
    expect(manifest.devDependencies).toEqual({
      "@linefleet/testing": `^${own.version}`,
      typescript: repository.devDependencies.typescript,
      vitest: repository.devDependencies.vitest,
      "@types/node": repository.devDependencies["@types/node"],
    });
    const tsconfig = JSON.parse(readFileSync(join(root, "js-bot/tsconfig.json"), "utf8"));
    expect(tsconfig.compilerOptions).toMatchObject({ allowJs: true, checkJs: true, strict: true });
    expect(readFileSync(join(root, "js-bot/src/bot.js"), "utf8")).not.toMatch(
      /\binterface\b|: \w+\)/,
    );
  });

  it("runs npm install in the new project unless --no-install", async () => {
    const result = await run("installed-bot");
    expect(result).toMatchObject({ code: 0, installs: [join(root, "installed-bot")] });
    expect(result.out).not.toContain("  npm install\n");
  });

  it("says what to do when npm install fails or cannot run, without a stack", async () => {
    const failing = async (install: () => Promise<number | null>, dir: string) => {
      let err = "";
      const code = await runCli([dir], {
        cwd: root,
        out: () => {},
        err: (text) => {
          err += text;
        },
        install,
      });
      return { code, err };
    };
    expect(await failing(async () => 1, "failed-install")).toEqual({
      code: 1,
      err: "create-linefleet: npm install failed (exit code 1); run it again in failed-install\n",
    });
    const missing = await failing(() => Promise.reject(new Error("spawn npm ENOENT")), "no-npm");
    expect(missing).toEqual({
      code: 1,
      err: "create-linefleet: could not run npm install (spawn npm ENOENT); run it in no-npm\n",
    });
    expect(existsSync(join(root, "no-npm/src/bot.ts"))).toBe(true);
  });

  it("refuses a directory that is not empty, and leaves it as it was", async () => {
    mkdirSync(join(root, "taken"));
    writeFileSync(join(root, "taken/notes.txt"), "mine");
    const result = await run("taken", "--no-install");
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `create-linefleet: ${join(root, "taken")} is not empty (it has notes.txt)`,
    );
    expect(result.err).not.toMatch(/^\s+at /m);
    expect(readdirSync(join(root, "taken"))).toEqual(["notes.txt"]);
  });

  it("writes into an empty directory that exists", async () => {
    mkdirSync(join(root, "empty"));
    expect(await run("empty", "--no-install")).toMatchObject({ code: 0 });
    expect(existsSync(join(root, "empty/src/bot.ts"))).toBe(true);
  });
});

describe("create-linefleet --packages <dir>", () => {
  const release = join(root, "release");
  const version = "9.8.7";
  const linefleetPackages = [
    "@linefleet/bot",
    "@linefleet/testing",
    "@linefleet/store",
    "linefleet",
  ];

  it("depends on the tarballs, and overrides every linefleet package with them", async () => {
    mkdirSync(release);
    for (const name of linefleetPackages) {
      await writeFakeTarball(
        join(release, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`),
        {
          name,
          version,
        },
      );
    }
    // Not linefleet's: the scaffolder itself, and anything else in the folder.
    await writeFakeTarball(join(release, `create-linefleet-${version}.tgz`), {
      name: "create-linefleet",
      version,
    });
    await writeFakeTarball(join(release, "left-pad-1.0.0.tgz"), {
      name: "left-pad",
      version: "1.0.0",
    });
    writeFileSync(join(release, "notes.txt"), "not a tarball");

    const result = await run("from-tarballs", "--packages", "release", "--no-install");
    expect(result).toMatchObject({ code: 0, err: "" });
    const manifest = manifestOf("from-tarballs");
    const spec = (file: string) => `file:../release/${file}-${version}.tgz`;
    expect(manifest.dependencies).toEqual({
      "@linefleet/bot": spec("linefleet-bot"),
      linefleet: spec("linefleet"),
    });
    expect(manifest.devDependencies["@linefleet/testing"]).toBe(spec("linefleet-testing"));
    expect(manifest.overrides).toEqual({
      "@linefleet/bot": spec("linefleet-bot"),
      "@linefleet/store": spec("linefleet-store"),
      "@linefleet/testing": spec("linefleet-testing"),
      linefleet: spec("linefleet"),
    });
  });

  it("names a tarball far from the project by its absolute path", async () => {
    const far = mkdtempSync(join(tmpdir(), "far-release-"));
    try {
      for (const name of ["@linefleet/bot", "@linefleet/testing", "linefleet"]) {
        await writeFakeTarball(join(far, `${name.replace(/\W/g, "")}.tgz`), { name, version });
      }
      expect(await run("far-bot", "--packages", far, "--no-install")).toMatchObject({ code: 0 });
      expect(manifestOf("far-bot").dependencies.linefleet).toBe(
        `file:${join(far, "linefleet.tgz")}`,
      );
    } finally {
      rmSync(far, { recursive: true, force: true });
    }
  });

  it("names the packages a folder lacks, and writes nothing", async () => {
    mkdirSync(join(root, "partial"));
    await writeFakeTarball(join(root, "partial/linefleet-bot-1.0.0.tgz"), {
      name: "@linefleet/bot",
      version: "1.0.0",
    });
    const result = await run("nothing-here", "--packages", "partial");
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `create-linefleet: --packages partial: no tarball of @linefleet/testing, linefleet in ${join(root, "partial")} (run pnpm release:pack first?)\n`,
    );
    expect(existsSync(join(root, "nothing-here"))).toBe(false);
    expect(result.installs).toEqual([]);
  });

  it("says so when the folder does not exist", async () => {
    const result = await run("nowhere-bot", "--packages", "no-such-folder");
    expect(result).toMatchObject({ code: 1 });
    expect(result.err).toContain("--packages no-such-folder: no such folder");
  });
});

describe("create-linefleet's other flags", () => {
  it("--help lists every flag", async () => {
    const result = await run("--help");
    expect(result.code).toBe(0);
    for (const flag of ["--js", "--packages <dir>", "--no-install", "--help", "--version"]) {
      expect(result.out).toContain(flag);
    }
  });

  it("--version prints the package's version", async () => {
    expect(await run("--version")).toMatchObject({ code: 0, out: `${own.version}\n` });
  });

  it("an unknown flag or a missing directory is one message and the help, exit code 1", async () => {
    const unknown = await run("bot", "--typescript");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^create-linefleet: Unknown option '--typescript'\.\n\nUsage:/);
    const missing = await run();
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toMatch(/^create-linefleet: Name the directory to create the bot in\./);
  });
});
