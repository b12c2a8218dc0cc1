import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, freePort, repoRoot, startApp, waitFor } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// `pnpm trigger --wait` beside a real `pnpm dev` (ingress, worker, emulator, Redis) running a bot
// that replies at once and pushes 3 s later from the same handler.
const dir = mkdtempSync(join(tmpdir(), "trigger-wait-"));
const stateFile = join(dir, "dev.json");
const prefix = `trigger-${Math.random().toString(36).slice(2)}`;
let dev: AppProcess;
let emulatorUrl: string;

interface TriggerRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from start to exit. */
  took: number;
}

/** `pnpm trigger …` as a process beside the dev stack (found through its state file). */
function trigger(...args: string[]): Promise<TriggerRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["packages/linefleet/src/emulator/trigger.ts", ...args],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? "", DEV_STATE_FILE: stateFile },
        timeout: 50_000,
      },
      (_error, stdout, stderr) =>
        resolve({ code: child.exitCode, stdout, stderr, took: Date.now() - started }),
    );
  });
}

/** The event the trigger sent, from the JSON it prints. */
function sentEvent(stdout: string) {
  return JSON.parse(stdout.slice(stdout.indexOf("{"), stdout.lastIndexOf("}") + 1)) as {
    webhookEventId: string;
    input: { chat: { type: string; groupId?: string } };
  };
}

/** The help's examples, as `pnpm trigger --help` prints them, split into arguments. */
function examplesOf(help: string): string[][] {
  const section = help.slice(help.indexOf("Examples:\n") + "Examples:\n".length);
  return section
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("linefleet trigger "))
    .map((line) =>
      // Words, a quoted one as one argument without its quotes (as a shell would).
      [...line.slice("linefleet trigger ".length).matchAll(/'([^']*)'|(\S+)/g)].map(
        (match) => match[1] ?? match[2] ?? "",
      ),
    );
}

beforeAll(async () => {
  const [port, emulatorPort] = [await freePort(), await freePort()];
  dev = startApp("dev", "scripts/dev.ts", {
    REDIS_URL: inject("redisUrl"),
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    EMULATOR_PORT: String(emulatorPort),
    DEV_WORKERS: "1",
    DEV_STATE_FILE: stateFile,
    BOT_MODULE: "tests/bots/reply-then-push.ts",
  });
  const app = dev;
  await waitFor(
    () =>
      app.lines.some((line) => typeof line === "string" && line.includes("Chat with your bot:")),
    { timeoutMs: 40_000, what: "pnpm dev to be ready" },
  );
  emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
});

afterAll(async () => {
  await dev?.stop(15_000);
  rmSync(dir, { recursive: true, force: true });
});

describe("pnpm trigger --wait beside pnpm dev", () => {
  it("prints the reply and the push 3 s later, and returns once the bot has finished the event", async () => {
    const run = await trigger("text", "--text", "hi", "--wait", "30");
    expect(run.code).toBe(0);
    const { webhookEventId } = sentEvent(run.stdout);
    const lines = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("bot (") || /^the bot/.test(line));
    expect(lines).toEqual([
      "bot (reply): echo: hi",
      "bot (push): later: hi",
      expect.stringMatching(
        new RegExp(`^the bot finished event ${webhookEventId} in [\\d.]+ s: reply, push$`),
      ),
    ]);
    // It ended on the bot's finish, not on the 30 s it was allowed.
    expect(run.took).toBeLessThan(30_000);
    expect(run.stderr).toContain(
      `trigger: watching the event in Redis ${inject("redisUrl")}, prefix ${prefix} (pnpm dev, ${stateFile})`,
    );
  });

  it("returns once an event without any answer is finished, before the wait's end", async () => {
    const run = await trigger("sticker", "--package", "446", "--sticker", "1988", "--wait", "40");
    expect(run.code).toBe(0);
    const { webhookEventId } = sentEvent(run.stdout);
    expect(run.stdout).toMatch(
      new RegExp(`the bot finished event ${webhookEventId} in [\\d.]+ s without sending a message`),
    );
    expect(run.stdout).not.toContain("bot (");
    expect(run.took).toBeLessThan(40_000);
  });

  it("prints only its own event's answers, not a late push of the event before", async () => {
    const first = await trigger("text", "--text", "first", "--wait", "1");
    // The first event is still being handled when its wait ends: that is said, and not a success.
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(
      `the bot had not finished event ${sentEvent(first.stdout).webhookEventId} within 1 s`,
    );
    // The second, in the same chat, runs after the first, while the first's push arrives.
    const second = await trigger("text", "--text", "second", "--wait", "40");
    expect(second.code).toBe(0);
    const answers = second.stdout.split("\n").filter((line) => line.startsWith("bot ("));
    expect(answers).toEqual(["bot (reply): echo: second", "bot (push): later: second"]);
  });

  it("runs every example of its --help exactly as written", async () => {
    const help = await trigger("--help");
    expect(help.code).toBe(0);
    const examples = examplesOf(help.stdout);
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const state = (await (await fetch(`${emulatorUrl}/emulator/state`)).json()) as {
      bot: { displayName: string };
    };
    for (const args of examples) {
      const run = await trigger(...args);
      expect({ args, code: run.code, stderr: run.stderr }).toMatchObject({ args, code: 0 });
      expect(run.stderr).not.toMatch(/^\s+at /m);
      const sent = sentEvent(run.stdout);
      if (args.includes("--wait")) {
        expect(run.stdout).toContain(`the bot finished event ${sent.webhookEventId}`);
      }
      if (args.includes("--mention")) {
        // The text as the group saw it: the bot mentioned once, before the text.
        const groupId = sent.input.chat.groupId ?? "";
        const { messages } = (await (
          await fetch(`${emulatorUrl}/emulator/chats/${groupId}/messages`)
        ).json()) as { messages: Array<{ from: string; message: { text?: string } }> };
        const said = messages.filter((m) => m.from === "user").at(-1);
        expect(said?.message.text).toBe(`@${state.bot.displayName} hi`);
      }
    }
  });
});
