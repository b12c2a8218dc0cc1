import { createEmulator, type Emulator } from "@linefleet/emulator";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A campaign's messages as a recipient sees them in the chat UI, in a real (headless) Chromium:
 * a multicast reaches each user it names, a broadcast every friend, each message marked with the
 * API that sent it.
 */
describe("multicast and broadcast in the chat UI", () => {
  let emulator: Emulator;
  let browser: Browser;

  beforeAll(async () => {
    emulator = createEmulator({
      channelSecret: "badges-channel-secret",
      channelAccessToken: "badges-access-token",
      users: [{ displayName: "Alice" }, { displayName: "Bianca" }, { displayName: "Chen" }],
    });
    await emulator.listen({ port: 0, host: "127.0.0.1" });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  const send = async (path: string, body: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${emulator.channelAccessToken}`,
        "content-type": "application/json",
        "x-line-retry-key": crypto.randomUUID(),
      },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };

  it("shows a multicast in each named user's chat and a broadcast in everyone's, with a badge", async () => {
    const [alice, bianca, chen] = emulator.state().users.map((user) => user.userId);
    await send("/v2/bot/message/multicast", {
      to: [alice, bianca],
      messages: [{ type: "text", text: "Spring sale" }],
    });
    await send("/v2/bot/message/broadcast", { messages: [{ type: "text", text: "We are open" }] });

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      await page.goto(emulator.url);
      await page.waitForSelector("body[data-ready]");
      for (const [userId, gotSale] of [
        [alice, true],
        [bianca, true],
        [chen, false],
      ] as const) {
        await page.getByTestId("user-select").selectOption(userId ?? "");
        const open = page.getByTestId("message-bot").filter({ hasText: "We are open" });
        await open.waitFor();
        await expect(open.getByTestId("via-badge").textContent()).resolves.toBe("broadcast");
        const sale = page.getByTestId("message-bot").filter({ hasText: "Spring sale" });
        if (gotSale) {
          await expect(sale.getByTestId("via-badge").textContent()).resolves.toBe("multicast");
        } else {
          await expect(sale.count()).resolves.toBe(0);
        }
      }
    } finally {
      await page.close();
    }
  });
});
