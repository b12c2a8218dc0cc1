import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, freePort, startApp, waitFor, waitForHttp } from "@linefleet/test-support";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The chat UI with several channels (`pnpm start:emulator` given a CHANNELS_FILE). */
describe("chat UI bot picker", () => {
  let browser: Browser;
  let emulator: AppProcess;
  let url: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "linefleet-picker-"));
    const channelsFile = join(dir, "channels.json");
    writeFileSync(
      channelsFile,
      JSON.stringify([
        { name: "shop", channelSecret: "shop-secret", channelAccessToken: "shop-token" },
        { name: "support", channelSecret: "support-secret", channelAccessToken: "support-token" },
      ]),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    emulator = startApp("emulator", "packages/linefleet/src/emulator/main.ts", {
      CHANNELS_FILE: channelsFile,
      EMULATOR_PORT: String(port),
      // Nothing listens there: the test reads the emulator's own record of each delivery.
      EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${await freePort()}/webhook`,
    });
    await waitForHttp(`${url}/emulator/state`);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.stop();
  });

  it("starts a group with the picked bot; its events go to that channel", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForSelector("body[data-ready]");
    await page.getByTestId("new-group").click();
    const picker = page.getByTestId("new-chat-bot");
    // The dialog opens once the emulator said which channels it plays.
    await picker.waitFor({ timeout: 5_000 });
    await expect(picker.locator("option").allTextContents()).resolves.toEqual([
      "shop bot",
      "support bot",
    ]);
    await picker.selectOption("support");
    await page.getByTestId("group-name").fill("Help desk");
    await page.getByTestId("new-group-create").click();
    const input = page.getByTestId("composer-input");
    await input.fill("need help");
    await input.press("Enter");

    const state = (await (await fetch(`${url}/emulator/state`)).json()) as {
      channels: Array<{ name: string; webhookUrl: string; bot: { userId: string } }>;
    };
    const support = state.channels.find((c) => c.name === "support");
    expect(support?.webhookUrl).toMatch(/\/webhook\/support$/);
    const delivery = await waitFor(async () => {
      const deliveries = (await (await fetch(`${url}/emulator/deliveries`)).json()) as Array<{
        channel: string;
        body: string;
      }>;
      return deliveries.find((d) => d.body.includes("need help"));
    });
    expect(delivery.channel).toBe("support");
    expect(JSON.parse(delivery.body).destination).toBe(support?.bot.userId);
    await page.close();
  });
});
