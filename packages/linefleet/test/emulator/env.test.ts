import { parseEnv } from "@linefleet/config";
import { describe, expect, it } from "vitest";
import { botUserIdFor, emulatorEnvSchema } from "../../src/emulator/env.ts";

describe("emulator env", () => {
  it("starts with no configuration at all", () => {
    expect(parseEnv(emulatorEnvSchema, {})).toEqual({
      EMULATOR_PORT: 8090,
      EMULATOR_HOST: "127.0.0.1",
      EMULATOR_WEBHOOK_URL: "http://127.0.0.1:3000/webhook",
      EMULATOR_ALLOWED_HOSTS: [],
      EMULATOR_ALLOW_REMOTE: false,
      LOG_LEVEL: "info",
    });
  });

  it("reads the channel, port and webhook URL", () => {
    const env = parseEnv(emulatorEnvSchema, {
      LINE_CHANNEL_SECRET: "s",
      LINE_CHANNEL_ACCESS_TOKEN: "t",
      EMULATOR_PORT: "9000",
      EMULATOR_WEBHOOK_URL: "http://127.0.0.1:4000/hook",
    });
    expect(env).toMatchObject({
      LINE_CHANNEL_SECRET: "s",
      EMULATOR_PORT: 9000,
      EMULATOR_WEBHOOK_URL: "http://127.0.0.1:4000/hook",
    });
    expect(() => parseEnv(emulatorEnvSchema, { EMULATOR_PORT: "70000" })).toThrow(/EMULATOR_PORT/);
  });

  it("derives a stable, LINE-shaped bot user id from the secret", () => {
    expect(botUserIdFor("a")).toMatch(/^U[0-9a-f]{32}$/);
    expect(botUserIdFor("a")).toBe(botUserIdFor("a"));
    expect(botUserIdFor("a")).not.toBe(botUserIdFor("b"));
  });
});
