import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { freePort, repoRoot } from "@linefleet/test-support";
import { describe, expect, it } from "vitest";
import { writeChannelsFile } from "./channels-file.ts";

/** Runs an app's main as a process with exactly `env`; resolves with its exit code and stderr. */
function runApp(script: string, env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [script, ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 20_000 },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

/** A line of a stack trace, as Node prints one. */
const stackLine = /^\s+at /m;

describe("a process started with a bad configuration", () => {
  it("ingress: names every bad variable, prints no stack trace, exits 1", async () => {
    const { code, stderr } = await runApp("packages/linefleet/src/ingress/main.ts", {
      PORT: "eighty",
      REDIS_URL: "not a url",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("LINE_CHANNEL_SECRET is required");
    expect(stderr).toContain("PORT is invalid");
    expect(stderr).toContain("REDIS_URL is invalid");
    expect(stderr).not.toMatch(stackLine);
    expect(stderr).not.toContain("ConfigError");
  });

  it("worker: names the missing access token, prints no stack trace, exits 1", async () => {
    const { code, stderr } = await runApp("packages/linefleet/src/worker/main.ts", {
      BOT_MODULE: "./my-bot.ts",
      WORKER_CONCURRENCY: "0",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("LINE_CHANNEL_ACCESS_TOKEN is required");
    expect(stderr).toContain("WORKER_CONCURRENCY is invalid");
    expect(stderr).not.toMatch(stackLine);
  });

  it("worker: a BOT_MODULE that does not exist is a config error too", async () => {
    const { code, stderr } = await runApp("packages/linefleet/src/worker/main.ts", {
      LINE_CHANNEL_ACCESS_TOKEN: "token",
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      BOT_MODULE: "./no-such-bot.ts",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("BOT_MODULE is invalid: no file");
    expect(stderr).toContain("no-such-bot.ts");
    expect(stderr).not.toMatch(stackLine);
  });

  it("emulator: needs no LINE credentials, but names a bad port without a stack trace", async () => {
    const { code, stderr } = await runApp("packages/linefleet/src/emulator/main.ts", {
      EMULATOR_PORT: "70000",
      EMULATOR_WEBHOOK_URL: "nowhere",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("EMULATOR_PORT is invalid");
    expect(stderr).toContain("EMULATOR_WEBHOOK_URL is invalid");
    expect(stderr).not.toContain("LINE_CHANNEL");
    expect(stderr).not.toMatch(stackLine);
  });

  it("ingress: a malformed CHANNELS_FILE is named with the line and column, never quoted", async () => {
    const token = "Zq7TOKENvWx9kLmN3pRsTuVyXz";
    // The token's quotes forgotten, on line 3: V8's own message quotes the text around it
    // (`Unexpected token 'Z', ..."ssToken": Zq7TOKENvW"... is not valid JSON`).
    const file = writeChannelsFile([]);
    writeFileSync(
      file,
      `[\n  { "name": "shop", "channelSecret": "s3cr3tS3CR3Tsecret",\n    "channelAccessToken": ${token} }\n]\n`,
    );
    const { code, stderr } = await runApp("packages/linefleet/src/ingress/main.ts", {
      CHANNELS_FILE: file,
    });
    expect(code).toBe(1);
    // No piece of the token (nor of the secret) in the output: no run of 4 of its characters.
    for (const secret of [token, "s3cr3tS3CR3Tsecret"]) {
      for (let i = 0; i + 4 <= secret.length; i++) {
        expect(stderr).not.toContain(secret.slice(i, i + 4));
      }
    }
    expect(stderr).toContain(`CHANNELS_FILE is invalid: ${file} is not JSON`);
    expect(stderr).toContain("a syntax error at line 3, column 27");
    expect(stderr).not.toMatch(stackLine);
  });

  it("ingress: refuses a MAX_EVENT_AGE_MS its dedupe marks would not outlive", async () => {
    const { code, stderr } = await runApp("packages/linefleet/src/ingress/main.ts", {
      LINE_CHANNEL_SECRET: "secret",
      DEDUPE_TTL_MS: String(60 * 60_000),
      MAX_EVENT_AGE_MS: String(60 * 60_000),
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      "MAX_EVENT_AGE_MS is invalid: must be at most DEDUPE_TTL_MS minus 5 minutes (3300000)",
    );
    expect(stderr).not.toMatch(stackLine);
  });

  it("pnpm dead-letters: names a bad variable without a stack trace", async () => {
    const { code, stderr } = await runApp(
      "packages/linefleet/src/worker/dead-letters.ts",
      { REDIS_URL: "not a url" },
      ["list"],
    );
    expect(code).toBe(1);
    expect(stderr).toContain("REDIS_URL is invalid");
    expect(stderr).not.toMatch(stackLine);
  });
});

describe("a process whose port is taken", () => {
  it("ingress and emulator: say so in one line naming the address, and exit 1", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const ingress = await runApp("packages/linefleet/src/ingress/main.ts", {
        LINE_CHANNEL_SECRET: "secret",
        HOST: "127.0.0.1",
        PORT: String(port),
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      });
      expect(ingress.code).toBe(1);
      expect(ingress.stderr).toContain(`ingress: cannot listen on 127.0.0.1:${port}`);
      expect(ingress.stderr).not.toMatch(stackLine);
      const emulator = await runApp("packages/linefleet/src/emulator/main.ts", {
        EMULATOR_PORT: String(port),
      });
      expect(emulator.code).toBe(1);
      expect(emulator.stderr).toContain(`emulator: cannot listen on 127.0.0.1:${port}`);
      expect(emulator.stderr).not.toMatch(stackLine);
    } finally {
      taken.close();
    }
  });
});

describe("docker compose's preflight (scripts/compose-preflight.ts)", () => {
  const preflight = "scripts/compose-preflight.ts";

  it("refuses real LINE without credentials, naming what is missing and the dev profile", async () => {
    const { code, stderr } = await runApp(preflight, {
      LINE_CHANNEL_SECRET: "",
      LINE_API_BASE_URL: "https://api.line.me",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN unset");
    expect(stderr).toContain("docker compose --profile dev up");
    expect(stderr).not.toMatch(stackLine);
  });

  it("lets real LINE with credentials, and the emulator without them, through", async () => {
    const real = await runApp(preflight, {
      LINE_CHANNEL_SECRET: "secret",
      LINE_CHANNEL_ACCESS_TOKEN: "token",
    });
    expect(real.code).toBe(0);
    const emulated = await runApp(preflight, { LINE_API_BASE_URL: "http://emulator:8090" });
    expect(emulated.code).toBe(0);
  });
});
