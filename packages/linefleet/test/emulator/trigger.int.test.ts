import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, freePort, repoRoot, startApp } from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { triggerOptions } from "../../src/emulator/trigger/options.ts";
import { startEchoBot } from "./support/echo-bot.ts";

const channelSecret = "trigger-test-secret";
const channelAccessToken = "trigger-test-token";
const eventNames = [
  "text",
  "image",
  "video",
  "audio",
  "file",
  "location",
  "sticker",
  "postback",
  "follow",
  "unfollow",
  "join",
  "leave",
  "memberJoined",
  "memberLeft",
  "unsend",
  "messageEdited",
  "verify",
];

let emulator: AppProcess;
let bot: Awaited<ReturnType<typeof startEchoBot>>;
let emulatorUrl: string;

/**
 * Runs the trigger CLI as a real process with exactly `env` (by default, EMULATOR_URL of the test's
 * emulator); resolves with its exit code (null when it had to be killed after 20 s) and output.
 */
function triggerWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["packages/linefleet/src/emulator/trigger.ts", ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 20_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}
const trigger = (...args: string[]) => triggerWith({ EMULATOR_URL: emulatorUrl }, ...args);

async function users() {
  const state = (await (await fetch(`${emulatorUrl}/emulator/state`)).json()) as {
    users: Array<{ userId: string; displayName: string }>;
  };
  return state.users;
}

beforeAll(async () => {
  bot = await startEchoBot({ channelSecret, channelAccessToken });
  const port = await freePort();
  emulator = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
    LINE_CHANNEL_SECRET: channelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: channelAccessToken,
    EMULATOR_PORT: String(port),
    EMULATOR_WEBHOOK_URL: bot.webhookUrl,
  });
  const ready = await emulator.waitForLine((line) => typeof line.chatUiUrl === "string");
  emulatorUrl = String(ready.url);
  bot.useApi(emulatorUrl);
});

afterAll(async () => {
  await emulator?.stop();
  await bot?.close();
});

describe("the emulator app", () => {
  it("logs one line with the chat UI URL and serves the UI there", async () => {
    const ready = emulator.lines.filter((line) => typeof line === "object" && "chatUiUrl" in line);
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ chatUiUrl: `${emulatorUrl}/`, webhookUrl: bot.webhookUrl });
    expect(String((ready[0] as { msg: string }).msg)).toContain(`${emulatorUrl}/`);
    const page = await fetch(`${emulatorUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    // The configured credentials are used, so nothing about local defaults is printed.
    expect(emulator.output()).not.toContain("local defaults");
  });
});

describe("pnpm trigger", () => {
  it("lists every event and flag in --help", async () => {
    const { code, stdout } = await trigger("--help");
    expect(code).toBe(0);
    for (const name of eventNames) expect(stdout).toContain(name);
    for (const flag of Object.keys(triggerOptions)) expect(stdout).toContain(`--${flag}`);
  });

  it("sends a text event and prints the bot's answer with --wait", async () => {
    // A bot with no linefleet stack (no Redis) to tell when it is done: --wait is the whole time.
    const { code, stdout } = await trigger(
      "text",
      "--text",
      "hello there",
      "--user",
      "Bob",
      "--wait",
      "2",
    );
    expect(code).toBe(0);
    expect(stdout).toContain("sent text event");
    expect(stdout).toMatch(/webhook attempt 1 \(original\) → 200/);
    expect(stdout).toContain("bot (reply): echo: hello there");
    const state = (await (await fetch(`${emulatorUrl}/emulator/state`)).json()) as {
      users: Array<{ displayName: string }>;
    };
    expect(state.users.map((u) => u.displayName)).toContain("Bob");
    expect(bot.stats().badSignatures).toBe(0);
  });

  it("sends to a group, with duplicates and a redelivery", async () => {
    const before = bot.stats().requests;
    const { code, stdout } = await trigger(
      "postback",
      "--group",
      "Team",
      "--data",
      "a=1",
      "--param",
      "date=2026-01-02",
      "--duplicates",
      "1",
      "--redeliver",
      "--wait",
      "3",
    );
    // A postback gets no echo: the CLI says the bot accepted it and stayed silent, and that is
    // not a failure.
    expect(code).toBe(0);
    expect(stdout).toContain("the bot accepted the event and sent no message within 3 s");
    const printed = JSON.parse(stdout.slice(stdout.indexOf("{"), stdout.lastIndexOf("}") + 1)) as {
      input: { chat: { type: string }; params: Record<string, string> };
      webhookEventId: string;
    };
    expect(printed.input.chat.type).toBe("group");
    expect(printed.input.params).toEqual({ date: "2026-01-02" });
    const deliveries = (await (await fetch(`${emulatorUrl}/emulator/deliveries`)).json()) as Array<{
      webhookEventIds: string[];
      kind: string;
    }>;
    const mine = deliveries.filter((d) => d.webhookEventIds.includes(printed.webhookEventId));
    expect(mine.map((d) => d.kind).sort()).toEqual(["duplicate", "original", "redelivery"]);
    expect(bot.stats().requests - before).toBe(3);
  });

  it("sends Verify", async () => {
    const { code, stdout } = await trigger("verify");
    expect(code).toBe(0);
    expect(stdout).toContain("verify → 200");
  });

  it("refuses an unknown event and reports control API errors", async () => {
    const unknown = await trigger("nonsense");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown event nonsense");
    const bad = await trigger("unsend", "--message-id", "999");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("sent no message 999");
  });

  it("matches --user to a display name regardless of case, and says which user it used", async () => {
    // The emulator starts with one user, "Alice".
    const [alice] = (await users()).filter((u) => u.displayName === "Alice");
    expect(alice).toBeDefined();
    const { code, stdout, stderr } = await trigger(
      "text",
      "--text",
      "hi alice",
      "--user",
      "alice",
      "--wait",
      "2",
    );
    expect(code).toBe(0);
    expect(stderr).toContain(`user Alice (${alice?.userId})`);
    expect(stdout).toContain("bot (reply): echo: hi alice");
    const alices = (await users()).filter((u) => u.displayName.toLowerCase() === "alice");
    expect(alices.map((u) => u.userId)).toEqual([alice?.userId]);
  });

  it("says when it creates a user for a new name", async () => {
    const { code, stderr } = await trigger("follow", "--user", "Carol");
    expect(code).toBe(0);
    const carol = (await users()).find((u) => u.displayName === "Carol");
    expect(stderr).toContain(`created user Carol (${carol?.userId})`);
  });

  it("exits 0 and says so when the bot accepts an event it does not answer", async () => {
    const { code, stdout, stderr } = await trigger(
      "sticker",
      "--package",
      "446",
      "--sticker",
      "1988",
      "--wait",
      "2",
    );
    expect(stderr).toBe(
      [
        `trigger: emulator ${emulatorUrl} (EMULATOR_URL)`,
        "trigger: no Redis of the bot's stack to tell when it has finished (set REDIS_URL and QUEUE_PREFIX, or run pnpm dev); printing answers for 2 s",
        "",
      ].join("\n"),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/webhook attempt 1 \(original\) → 200/);
    expect(stdout).toContain("the bot accepted the event and sent no message within 2 s");
  });

  it("with the emulator unreachable, exits 1 naming its URL, without hanging", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await triggerWith({ EMULATOR_URL: url }, "text", "--text", "hi");
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach the emulator at ${url}`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("with EMULATOR_URL unset, uses the running pnpm dev's emulator, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trigger-"));
    try {
      const file = join(dir, "dev.json");
      writeFileSync(
        file,
        JSON.stringify({
          pid: process.pid,
          redisUrl: "redis://127.0.0.1:1",
          queuePrefix: "linefleet",
          ingressUrl: "http://127.0.0.1:1",
          emulatorUrl,
        }),
      );
      const { code, stdout, stderr } = await triggerWith({ DEV_STATE_FILE: file }, "verify");
      expect(stderr).toContain(`trigger: emulator ${emulatorUrl} (pnpm dev, ${file})`);
      expect(code).toBe(0);
      expect(stdout).toContain("verify → 200");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
