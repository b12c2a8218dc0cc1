import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, packRelease, repoRoot } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { runShell, type ShellCommand } from "./shell-command.ts";

// What a new user does, with the README's commands, outside the repository: pack linefleet, create
// a bot project from the tarballs (which installs it), check its types, run its tests, run it with
// `npm run dev` and talk to it from the terminal. Once in TypeScript, once in plain JavaScript.

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const section = readme.split("## Use linefleet in your own project")[1]?.split("\n## ")[0] ?? "";
/** The commands of the section's first shell block, without their comments. */
const readmeCommands = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "")
  .split("\n")
  .map((line) => line.replace(/\s+#.*$/, "").trim())
  .filter(Boolean);
/** Where the README puts the project: beside the clone. The test puts it in a temporary folder. */
const readmeProject = "../my-bot";
const createCommand = `npx --yes --package ./release/create-linefleet-*.tgz create-linefleet ${readmeProject} --packages ./release`;
const triggerCommand = "npx linefleet trigger text --text hi --wait 5";

const work = mkdtempSync(join(tmpdir(), "linefleet-new-user-"));
// Kept between runs, so that only the first run on a machine downloads the third-party packages
// (and the JavaScript project reuses what the TypeScript one downloaded).
const npmCache = join(repoRoot, "node_modules/.cache/new-user-test/npm");
mkdirSync(npmCache, { recursive: true });

/** docker-compose can judge the project's compose file without a Docker engine. */
const hasDockerCompose = spawnSync("docker-compose", ["version"]).status === 0;

/** How long each step took, printed at the end. */
const took: Record<string, string> = {};
afterAll(() => {
  console.log(`new-user install test, seconds per step: ${JSON.stringify(took)}`);
  rmSync(work, { recursive: true, force: true });
});

async function timed<T>(step: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    took[step] = ((performance.now() - started) / 1000).toFixed(1);
  }
}

/** A user's shell: none of the variables pnpm and vitest set for this test process. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const own = /^(npm_|pnpm_|vitest|node_env$|node_options$|test$)/i;
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !own.test(name))),
    npm_config_cache: npmCache,
    npm_config_prefer_offline: "true",
    npm_config_fund: "false",
    npm_config_audit: "false",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Runs a command to its end; resolves with it, whatever its exit code. */
async function finish(commandLine: string, cwd: string, timeoutMs: number, env = userEnv()) {
  const command = runShell(commandLine, { cwd, env });
  return { command, code: await command.exit(timeoutMs) };
}

// `pnpm release:pack`, shared with the other tests of the tarballs (packed once per working tree).
beforeAll(() => timed("pnpm release:pack", async () => packRelease()), 180_000);

it("the README gives the commands this test runs, and the one line they become", () => {
  expect(readmeCommands).toEqual([
    "pnpm release:pack",
    createCommand,
    `cd ${readmeProject}`,
    "npm run dev",
    "npm test",
  ]);
  expect(section).toContain("```sh\nnpm create linefleet@latest my-bot\n```");
});

describe.each([
  { language: "TypeScript", folder: "my-bot", flags: "" },
  { language: "JavaScript", folder: "my-js-bot", flags: " --js" },
])("a $language bot in a project of its own", ({ language, folder, flags }) => {
  const project = join(work, folder);
  let dev: ShellCommand | undefined;
  afterAll(() => dev?.stop());

  it("is created from the release's tarballs and installed, linefleet's packages from them only", async () => {
    const { command, code } = await timed(`${language}: create + npm install`, () =>
      finish(
        createCommand.replace(readmeProject, project) + flags,
        repoRoot,
        240_000,
        // npm says which requests it makes: every package it fetches or finds in its cache.
        userEnv({ npm_config_loglevel: "http" }),
      ),
    );
    expect({ code, output: code === 0 ? "" : command.output() }).toEqual({ code: 0, output: "" });
    expect(command.lines).toContain(`Created ${folder} (${language}) in ${project}`);
    // Third-party packages came from the registry (or the cache); none of linefleet's did.
    const ours = /linefleet/;
    const fromTarball = /@file:/;
    expect(command.lines.filter((l) => l.startsWith("npm http")).length).toBeGreaterThan(0);
    expect(
      command.lines.filter((l) => l.startsWith("npm http") && ours.test(l) && !fromTarball.test(l)),
    ).toEqual([]);
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, { resolved?: string }>;
    };
    const installed = Object.entries(lock.packages).filter(([path]) =>
      /node_modules\/(@linefleet\/[^/]+|linefleet)$/.test(path),
    );
    expect(installed.map(([path]) => path)).toEqual(
      expect.arrayContaining([
        "node_modules/@linefleet/bot",
        "node_modules/@linefleet/testing",
        "node_modules/linefleet",
      ]),
    );
    for (const [path, { resolved }] of installed) {
      expect({ path, resolved }).toEqual({
        path,
        resolved: expect.stringMatching(/^file:.*\.tgz$/),
      });
    }
  }, 300_000);

  it("typechecks", async () => {
    const { command, code } = await timed(`${language}: npm run typecheck`, () =>
      finish("npm run typecheck", project, 60_000),
    );
    expect({ code, output: code === 0 ? "" : command.output() }).toEqual({ code: 0, output: "" });
  }, 90_000);

  it("passes its own tests", async () => {
    const { command, code } = await timed(`${language}: npm test`, () =>
      finish("npm test", project, 90_000),
    );
    expect({ code, output: code === 0 ? "" : command.output() }).toEqual({ code: 0, output: "" });
    expect(command.output()).toMatch(/Tests\s+4 passed \(4\)/);
  }, 120_000);

  it.skipIf(!hasDockerCompose)(
    "has a compose file of Redis, the ingress and workers, with the emulator in the dev profile",
    async () => {
      const { command, code } = await finish("docker-compose config", project, 30_000);
      expect({ code, output: code === 0 ? "" : command.output() }).toEqual({ code: 0, output: "" });
      const { services } = parse(command.output()) as {
        services: Record<string, { profiles?: string[] }>;
      };
      const profiles = Object.entries(services).map(([name, service]) => [name, service.profiles]);
      expect(Object.fromEntries(profiles)).toEqual({
        emulator: ["dev"],
        ingress: undefined,
        redis: undefined,
        worker: undefined,
      });
    },
    60_000,
  );

  it("runs with npm run dev and answers an event sent from the terminal", async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    dev = runShell("npm run dev", {
      cwd: project,
      env: userEnv({
        PORT: String(port),
        EMULATOR_PORT: String(emulatorPort),
        REDIS_URL: inject("redisUrl"),
        QUEUE_PREFIX: `new-user-${randomUUID()}`,
      }),
    });
    const running = dev;
    const address = await timed(`${language}: npm run dev, until the chat UI's address`, () =>
      running.waitForLine(/Chat with your bot: http:\/\/127\.0\.0\.1:\d+\//, 90_000),
    );
    expect(address).toContain(`http://127.0.0.1:${emulatorPort}/`);

    // The scaffolded README tells the user this command.
    expect(readFileSync(join(project, "README.md"), "utf8")).toContain(triggerCommand);
    const { command, code } = await timed(`${language}: trigger`, () =>
      finish(triggerCommand, project, 30_000),
    );
    expect({ code, output: code === 0 ? "" : command.output() }).toEqual({ code: 0, output: "" });
    expect(command.lines).toContain("bot (reply): hi");

    await timed(`${language}: stop the dev stack`, () => running.stop());
  }, 150_000);
});
