import { randomBytes, randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AppProcess,
  freePort,
  repoRoot,
  startApp,
  waitForHttp,
} from "@linefleet/test-support";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { lineAt, richMenuSync } from "./richmenu-sync-command.ts";

/**
 * The demo bot's rich menus in the emulator's chat UI, in headless Chromium, against the real
 * stack as processes (emulator, ingress, a worker running the demo bot, Redis), the menus put
 * there by `linefleet richmenu sync`. Set CHAT_UI_SCREENSHOT_DIR to keep a screenshot; a failing
 * run always leaves one in the system's temporary folder.
 */

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"];

let browser: Browser | undefined;
let page: Page | undefined;
let apps: AppProcess[] = [];
let emulatorUrl: string;
const token = `token-${randomUUID()}`;

beforeAll(async () => {
  const launching = chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  launching.catch(() => undefined); // awaited below, once the stack is up
  const [emulatorPort, ingressPort] = [await freePort(), await freePort()];
  emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const channel = {
    LINE_CHANNEL_SECRET: randomBytes(16).toString("hex"),
    LINE_CHANNEL_ACCESS_TOKEN: token,
  };
  const queue = { REDIS_URL: inject("redisUrl"), QUEUE_PREFIX: `t-${randomUUID()}` };
  const emulator = startApp("emulator", "apps/emulator/src/main.ts", {
    ...channel,
    EMULATOR_PORT: String(emulatorPort),
    EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${ingressPort}/webhook`,
  });
  const ingress = startApp("ingress", "apps/ingress/src/main.ts", {
    ...channel,
    ...queue,
    PORT: String(ingressPort),
    HOST: "127.0.0.1",
  });
  const worker = startApp("worker", "apps/worker/src/main.ts", {
    ...channel,
    ...queue,
    ...lineAt(emulatorUrl, token),
    BOT_MODULE: join(repoRoot, "examples/demo-bot/src/main.ts"),
    METRICS_PORT: "0",
  });
  apps = [emulator, ingress, worker];
  await Promise.all([
    waitForHttp(`${emulatorUrl}/emulator/state`, 30_000, emulator),
    waitForHttp(`http://127.0.0.1:${ingressPort}/healthz`, 30_000, ingress),
    worker.waitForLine((line) => line.msg === "worker ready", 30_000),
  ]);
  browser = await launching;
});

afterEach(async ({ task }) => {
  const failed = task.result?.state === "fail";
  const dir = process.env.CHAT_UI_SCREENSHOT_DIR;
  if (page && (dir || failed)) {
    const path = join(dir ?? tmpdir(), "rich-menus-chat-ui.png");
    await page.screenshot({ path }).catch(() => undefined);
    if (failed) console.error(`screenshot: ${path}`);
  }
  if (failed) {
    for (const app of apps) console.error(`--- ${app.name} ---\n${app.output().slice(-4000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(apps.map((app) => app.stop()));
});

describe("rich menus in the chat UI", () => {
  it("shows the synced menu; a postback area reaches the bot; a richmenuswitch area switches it", async () => {
    const synced = await richMenuSync(
      join(repoRoot, "examples/demo-bot/src/rich-menus.ts"),
      lineAt(emulatorUrl, token),
    );
    expect(synced.code, synced.stderr).toBe(0);
    const aliasTarget = async (alias: string) =>
      (
        (await (
          await fetch(`${emulatorUrl}/v2/bot/richmenu/alias/${alias}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { richMenuId: string }
      ).richMenuId;
    const [main, more] = [await aliasTarget("main"), await aliasTarget("more")];

    page = await (browser as Browser).newPage({ viewport: { width: 1200, height: 900 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(emulatorUrl);
    await page.waitForSelector("body[data-ready]");
    const ui = page;
    const menu = ui.getByTestId("richmenu");
    const bar = ui.getByTestId("richmenu-bar");
    /** Waits until the chat shows the menu `richMenuId`, got as `source` says. */
    const shows = (richMenuId: string, source: string) =>
      ui
        .locator(
          `[data-testid=richmenu][data-rich-menu-id="${richMenuId}"][data-source="${source}"]`,
        )
        .waitFor({ timeout: 15_000 });

    // The default menu, open (it is `selected`), its image loaded, its chat-bar text below it.
    await shows(main, "default");
    await expect(bar.textContent()).resolves.toContain("Menu");
    const image = menu.locator("img");
    await expect
      .poll(() =>
        image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1200);
    // The chat-bar text closes and opens it.
    await bar.click();
    await menu.waitFor({ state: "hidden" });
    await expect(bar.getAttribute("aria-expanded")).resolves.toBe("false");
    await bar.click();
    await menu.waitFor({ state: "visible" });

    const areas = ui.getByTestId("richmenu-area");
    await expect(
      areas.evaluateAll((all) => all.map((a) => a.getAttribute("data-action-type"))),
    ).resolves.toEqual(["message", "postback", "richmenuswitch"]);

    // A postback area: its displayText is the user's message, and the bot answers the postback.
    await areas.nth(1).click();
    await ui.getByTestId("message-user").filter({ hasText: "The Pro plan, please" }).waitFor();
    await ui
      .getByTestId("message-bot")
      .filter({ hasText: "You are on the Pro plan." })
      .waitFor({ timeout: 20_000 });

    // A richmenuswitch area: the chat shows the other menu, and the bot learns it by postback.
    await areas.nth(2).click();
    await shows(more, "switch");
    await expect(bar.textContent()).resolves.toContain("More");
    const switched = await apps[2]?.waitForLine(
      (line) => line.msg === "rich menu switched",
      20_000,
    );
    expect(switched).toMatchObject({
      menu: "more",
      params: { newRichMenuAliasId: "more", status: "SUCCESS" },
    });

    // And back; then the bot's own link (ctx.linkRichMenu) wins over the default, until unlinked.
    await areas.nth(0).click();
    await shows(main, "switch");
    const input = ui.getByTestId("composer-input");
    await input.fill("pin");
    await input.press("Enter");
    await ui
      .getByTestId("message-bot")
      .filter({ hasText: "The More menu is yours now" })
      .waitFor({ timeout: 20_000 });
    await shows(more, "user");
    await input.fill("unpin");
    await input.press("Enter");
    await ui
      .getByTestId("message-bot")
      .filter({ hasText: "Back to the main menu." })
      .waitFor({ timeout: 20_000 });
    await shows(main, "default");
    expect(pageErrors).toEqual([]);
  });
});
