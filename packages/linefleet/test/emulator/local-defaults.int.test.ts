import { messagingApi } from "@line/bot-sdk";
import { type AppProcess, freePort, startApp } from "@linefleet/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { localCredentials } from "../../src/emulator/env.ts";

let app: AppProcess | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe("pnpm start:emulator without credentials", () => {
  it("prints the local defaults and accepts the default access token", async () => {
    app = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
      EMULATOR_PORT: String(await freePort()),
    });
    const ready = await app.waitForLine((line) => typeof line.chatUiUrl === "string");
    const warning = app.lines.find(
      (line) => typeof line === "object" && String(line.msg).includes("local defaults"),
    );
    expect(String((warning as { msg: string }).msg)).toContain(
      `LINE_CHANNEL_ACCESS_TOKEN=${localCredentials.channelAccessToken}`,
    );
    expect(String((warning as { msg: string }).msg)).toContain(
      `LINE_CHANNEL_SECRET=${localCredentials.channelSecret}`,
    );

    const client = new messagingApi.MessagingApiClient({
      channelAccessToken: localCredentials.channelAccessToken,
      baseURL: String(ready.url),
    });
    expect((await client.getBotInfo()).userId).toBe(ready.botUserId);
  });
});
