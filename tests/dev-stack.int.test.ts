import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, freePort, repoRoot, startApp, waitFor } from "@linefleet/test-support";
import { afterAll, describe, expect, inject, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "dev-stack-"));
let dev: AppProcess | undefined;
/** Stacks a test started, stopped (SIGTERM: the stack stops its processes) after the file. */
const stacks: AppProcess[] = [];

afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.stop(15_000)));
  await dev?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const text = (line: AppProcess["lines"][number]) =>
  typeof line === "string" ? line : JSON.stringify(line);

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A line that is a warning, an error or part of a stack trace, in any process's output. */
const troubling = (line: string) =>
  /"level":(40|50|60)\b|Error|Warning|"stack"|^\s*at /.test(line) || /│ \s*at /.test(line);

/** `pnpm dev` with its own ports, Redis prefix and state file; `env` adds or overrides. */
async function startDev(env: Record<string, string> = {}) {
  const [port, emulatorPort] = [await freePort(), await freePort()];
  const stack = startApp("dev", "scripts/dev.ts", {
    REDIS_URL: inject("redisUrl"),
    QUEUE_PREFIX: `dev-${Math.random().toString(36).slice(2)}`,
    PORT: String(port),
    EMULATOR_PORT: String(emulatorPort),
    DEV_WORKERS: "2",
    DEV_STATE_FILE: join(dir, `${Math.random().toString(36).slice(2)}.json`),
    ...env,
  });
  stacks.push(stack);
  return { stack, port, emulatorPort };
}

async function readyLine(stack: AppProcess): Promise<string> {
  const line = await waitFor(
    () => stack.lines.map(text).find((line) => line.startsWith("linefleet is ready")),
    { timeoutMs: 40_000, what: "pnpm dev to be ready" },
  );
  return line;
}

/** The workers' metrics ports as `pnpm dev` announces them. */
const metricsPortsOf = (ready: string) =>
  (/metrics on ports ([\d, ]+)\)/.exec(ready)?.[1] ?? "").split(", ").map(Number);

/** The process's exit code, once it has exited on its own. */
function exitOf(app: AppProcess): Promise<number | null> {
  if (app.child.exitCode !== null) return Promise.resolve(app.child.exitCode);
  return new Promise((resolve) => app.child.once("exit", (code) => resolve(code)));
}

function listenOn(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

describe("pnpm dev", () => {
  it("announces the chat UI once everything is ready, records its services, and stops cleanly on Ctrl-C", async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const stateFile = join(dir, "dev.json");
    const prefix = `dev-${Math.random().toString(36).slice(2)}`;
    dev = startApp("dev", "scripts/dev.ts", {
      REDIS_URL: inject("redisUrl"),
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      DEV_WORKERS: "2",
      DEV_STATE_FILE: stateFile,
      // The demo bot's recurring job, on: listed with the stack.
      DEMO_NEWS_EVERY_MS: "3600000",
    });
    const app = dev;
    const announced = await waitFor(
      () => {
        const at = app.lines.findIndex((line) => text(line).includes("Chat with your bot:"));
        return at >= 0 ? at : undefined;
      },
      { timeoutMs: 30_000, what: "the chat UI's address" },
    );
    const before = app.lines.slice(0, announced).map(text);
    const index = (what: string, from = "") =>
      before.findIndex((line) => line.includes(from) && line.includes(what));
    // Every process said it was ready before the address was printed.
    expect(index("LINE emulator ready")).toBeGreaterThanOrEqual(0);
    expect(index('"msg":"worker ready"', "worker-1 ")).toBeGreaterThanOrEqual(0);
    expect(index('"msg":"worker ready"', "worker-2 ")).toBeGreaterThanOrEqual(0);
    expect(text(app.lines[announced] ?? "")).toContain(`http://127.0.0.1:${emulatorPort}/`);
    expect(
      index("Recurring jobs (once per tick, fleet-wide): demo-news: every 3600 s"),
    ).toBeGreaterThan(index("linefleet is ready"));
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${emulatorPort}/`)).status).toBe(200);

    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toEqual({
      pid: app.child.pid,
      redisUrl: inject("redisUrl"),
      queuePrefix: prefix,
      ingressUrl: `http://127.0.0.1:${port}`,
      emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    });

    // The demo bot's rich menus (its rich-menus.ts) are synced to the emulator once it is up:
    // the chat shows the default one.
    await waitFor(
      () => app.lines.map(text).find((line) => /richmenu .*│ done: 5 changes/.test(line)),
      {
        timeoutMs: 30_000,
        what: "the demo bot's rich menus synced",
      },
    );
    const users = (await (
      await fetch(`http://127.0.0.1:${emulatorPort}/emulator/state`)
    ).json()) as {
      users: Array<{ userId: string }>;
    };
    const shown = (await (
      await fetch(
        `http://127.0.0.1:${emulatorPort}/emulator/users/${users.users[0]?.userId}/richmenu`,
      )
    ).json()) as { richMenu: { chatBarText: string; source: string } | null };
    expect(shown.richMenu).toMatchObject({ chatBarText: "Menu", source: "default" });

    const exited = new Promise<number | null>((resolve) =>
      app.child.once("exit", (code) => resolve(code)),
    );
    app.child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
    // Nothing of the stack is left running.
    expect(await portOpen(port)).toBe(false);
    expect(await portOpen(emulatorPort)).toBe(false);
    expect(app.output()).toContain("linefleet: SIGINT: stopping the stack");
    expect(app.output()).not.toContain("exited (");
    // No warning and no stack trace from any process, at start or at the stop.
    expect(app.lines.map(text).filter(troubling)).toEqual([]);
  });

  it("runs a second stack beside the first with other PORT and EMULATOR_PORT: each worker has a metrics port of its own", async () => {
    const first = await startDev();
    const second = await startDev();
    const [firstReady, secondReady] = await Promise.all([
      readyLine(first.stack),
      readyLine(second.stack),
    ]);
    const ports = [...metricsPortsOf(firstReady), ...metricsPortsOf(secondReady)];
    expect(ports).toHaveLength(4);
    expect(new Set(ports).size).toBe(4);
    for (const metricsPort of ports) {
      expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
    }
    for (const { stack } of [first, second]) {
      expect(stack.lines.map(text).filter(troubling)).toEqual([]);
    }
    await Promise.all([first.stack.stop(15_000), second.stack.stop(15_000)]);
  });

  it("refuses to start on a port in use, naming each variable to change, with no stack trace", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const taken = [await listenOn(port, "0.0.0.0"), await listenOn(metricsPort, "0.0.0.0")];
    try {
      const { stack } = await startDev({ PORT: String(port), METRICS_PORT: String(metricsPort) });
      expect(await exitOf(stack)).toBe(1);
      const output = stack.output();
      expect(output).toContain(`port ${port} (PORT) is in use; set PORT to a free port`);
      expect(output).toContain(
        `port ${metricsPort} (METRICS_PORT) is in use; set METRICS_PORT to a free port`,
      );
      expect(output.split("\n").filter(troubling)).toEqual([]);
      // The README shows this message as it is printed.
      const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
      const shown = /```text\n(linefleet dev cannot start:\n[^`]*)```/.exec(readme)?.[1] ?? "";
      expect(shown).not.toBe("");
      const printed = output.replace(`port ${port} `, "port 3000 ");
      expect(printed).toContain(shown.trim());
    } finally {
      for (const server of taken) server.close();
    }
  });

  it("restarts the workers when a file in the bot's directory changes, and runs the changed bot", async () => {
    // A bot outside the repository, as in a user's project: its @linefleet/bot is linefleet's.
    const project = join(dir, "reloading");
    mkdirSync(join(project, "src"), { recursive: true });
    mkdirSync(join(project, "node_modules/@linefleet"), { recursive: true });
    symlinkSync(join(repoRoot, "packages/bot"), join(project, "node_modules/@linefleet/bot"));
    const botFile = join(project, "src/bot.ts");
    const writeBot = (answer: string) =>
      writeFileSync(
        botFile,
        `import { createBot } from "@linefleet/bot";\nexport const bot = createBot().onText((ctx) => ctx.reply("${answer}"));\n`,
      );
    writeBot("answer-before-the-edit");
    const stateFile = join(dir, "reloading.json");
    const { stack } = await startDev({
      BOT_MODULE: botFile,
      DEV_WORKERS: "1",
      DEV_STATE_FILE: stateFile,
    });
    await readyLine(stack);
    const trigger = () =>
      new Promise<string>((resolve) => {
        execFile(
          process.execPath,
          ["packages/linefleet/src/cli.ts", "trigger", "text", "--text", "hi", "--wait", "10"],
          { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", DEV_STATE_FILE: stateFile } },
          (_error, stdout) => resolve(stdout),
        );
      });
    expect(await trigger()).toContain("answer-before-the-edit");

    const restarts = stack.lines.length;
    writeBot("answer-after-the-edit");
    await waitFor(
      () =>
        stack.lines
          .slice(restarts)
          .map(text)
          .some((line) => line.includes("linefleet: the workers run the changed bot")),
      { timeoutMs: 30_000, what: "the workers to restart" },
    );
    const after = await trigger();
    expect(after).toContain("answer-after-the-edit");
    expect(after).not.toContain("answer-before-the-edit");
    await stack.stop(15_000);
    expect(stack.output()).not.toContain("exited (");
  });
});
