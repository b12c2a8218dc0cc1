import { once } from "node:events";
import { request } from "node:http";
import { messagingApi } from "@line/bot-sdk";
import { type AppProcess, freePort, startApp } from "@linefleet/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { localCredentials } from "../../src/emulator/env.ts";

let app: AppProcess | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const realLooking = {
  LINE_CHANNEL_SECRET: "8f1c0e5b7a2d4c6e9b3f1a0d2c4e6f8a",
  LINE_CHANNEL_ACCESS_TOKEN: "a-real-looking-long-lived-channel-access-token",
};

async function exitOf(process: AppProcess): Promise<number | null> {
  if (process.child.exitCode === null) await once(process.child, "exit");
  return process.child.exitCode;
}

describe("pnpm start:emulator beyond loopback", () => {
  it("refuses a real-looking secret on 0.0.0.0, naming the variables, without a stack", async () => {
    app = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
      ...realLooking,
      EMULATOR_HOST: "0.0.0.0",
      EMULATOR_PORT: String(await freePort()),
    });
    expect(await exitOf(app)).toBe(1);
    const output = app.output();
    for (const variable of ["EMULATOR_HOST", "LINE_CHANNEL_SECRET", "EMULATOR_ALLOW_REMOTE"]) {
      expect(output).toContain(variable);
    }
    expect(output).not.toContain(realLooking.LINE_CHANNEL_SECRET);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it("starts with EMULATOR_ALLOW_REMOTE=true, and with the development secret without it", async () => {
    const port = await freePort();
    app = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
      ...realLooking,
      EMULATOR_HOST: "0.0.0.0",
      EMULATOR_PORT: String(port),
      EMULATOR_ALLOW_REMOTE: "true",
    });
    const ready = await app.waitForLine((line) => typeof line.chatUiUrl === "string");
    const client = new messagingApi.MessagingApiClient({
      channelAccessToken: realLooking.LINE_CHANNEL_ACCESS_TOKEN,
      baseURL: String(ready.url),
    });
    expect((await client.getBotInfo()).userId).toBe(ready.botUserId);
    await app.stop();

    app = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
      EMULATOR_HOST: "0.0.0.0",
      EMULATOR_PORT: String(await freePort()),
    });
    const local = await app.waitForLine((line) => typeof line.chatUiUrl === "string");
    const devClient = new messagingApi.MessagingApiClient({
      channelAccessToken: localCredentials.channelAccessToken,
      baseURL: String(local.url),
    });
    expect((await devClient.getBotInfo()).userId).toBe(local.botUserId);
  });

  it("answers the host names of EMULATOR_ALLOWED_HOSTS, as compose's service name", async () => {
    const port = await freePort();
    app = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
      EMULATOR_PORT: String(port),
      EMULATOR_ALLOWED_HOSTS: "emulator, line-emulator.internal",
    });
    await app.waitForLine((line) => typeof line.chatUiUrl === "string");
    const stateVia = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: "127.0.0.1", port, path: "/emulator/state", headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on("error", reject)
          .end();
      });
    expect(await stateVia(`emulator:${port}`)).toBe(200);
    expect(await stateVia(`line-emulator.internal:${port}`)).toBe(200);
    expect(await stateVia(`attacker.example:${port}`)).toBe(421);
  });
});
