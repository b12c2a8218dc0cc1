import { liff } from "@line/bot-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("LIFF apps", () => {
  it("adds, lists, updates and deletes a channel's LIFF apps", async () => {
    running = await startEmulatorWithReceiver();
    const { emulator } = running;
    const client = new liff.LiffClient({
      channelAccessToken: emulator.channelAccessToken,
      baseURL: emulator.url,
    });
    // LINE answers 404 while a channel has no LIFF app.
    expect((await sdkFailure(client.getAllLIFFApps())).status).toBe(404);

    const { liffId } = await client.addLIFFApp({
      view: { type: "full", url: "https://example.com/app" },
      description: "Shop",
    });
    expect(liffId).toMatch(/^\d+-\w{8}$/);
    expect((await client.getAllLIFFApps()).apps).toEqual([
      {
        liffId,
        view: { type: "full", url: "https://example.com/app" },
        description: "Shop",
        scope: ["profile", "chat_message.write"],
        botPrompt: "none",
      },
    ]);

    await client.updateLIFFApp(liffId, { view: { type: "tall" }, botPrompt: "normal" });
    expect((await client.getAllLIFFApps()).apps?.[0]).toMatchObject({
      view: { type: "tall", url: "https://example.com/app" },
      botPrompt: "normal",
    });

    const http = await sdkFailure(
      client.addLIFFApp({ view: { type: "full", url: "http://example.com/" } }),
    );
    expect(http).toMatchObject({ status: 400, body: { details: [{ property: "view.url" }] } });
    const named = await sdkFailure(
      client.addLIFFApp({
        view: { type: "full", url: "https://example.com/" },
        description: "LINE app",
      }),
    );
    expect(named.status).toBe(400);

    await client.deleteLIFFApp(liffId);
    expect((await sdkFailure(client.deleteLIFFApp(liffId))).status).toBe(404);
    expect((await sdkFailure(client.getAllLIFFApps())).status).toBe(404);
  });
});
