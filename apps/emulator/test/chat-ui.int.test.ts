import { randomBytes, randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, freePort, startApp, waitFor, waitForHttp } from "@linefleet/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";

/**
 * The chat UI in a real (headless) Chromium, against the real stack as processes:
 * emulator → webhook → ingress → Redis/BullMQ → worker (echo bot) → emulator's Messaging API.
 * Set CHAT_UI_SCREENSHOT_DIR to keep a screenshot of each scenario; a failing one is always kept
 * (in the system's temporary folder unless that variable says otherwise).
 */

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Running {
  emulatorUrl: string;
  channelAccessToken: string;
  apps: AppProcess[];
}

async function startStack(redisUrl: string): Promise<Running> {
  const [emulatorPort, ingressPort] = [await freePort(), await freePort()];
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const channel = {
    LINE_CHANNEL_SECRET: randomBytes(16).toString("hex"),
    LINE_CHANNEL_ACCESS_TOKEN: `token-${randomUUID()}`,
  };
  const queue = { REDIS_URL: redisUrl, QUEUE_PREFIX: `t-${randomUUID()}` };

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
    LINE_API_BASE_URL: emulatorUrl,
    LINE_DATA_API_BASE_URL: emulatorUrl,
    METRICS_PORT: "0",
    METRICS_HOST: "127.0.0.1",
  });
  const apps = [emulator, ingress, worker];
  try {
    await Promise.all([
      waitForHttp(`${emulatorUrl}/emulator/state`),
      waitForHttp(`http://127.0.0.1:${ingressPort}/healthz`),
      worker.waitForLine((line) => line.msg === "worker ready"),
    ]);
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    throw new Error(`the stack did not start:\n${apps.map(describeApp).join("\n")}`, {
      cause: error,
    });
  }
  return { emulatorUrl, channelAccessToken: channel.LINE_CHANNEL_ACCESS_TOKEN, apps };
}

const describeApp = (app: AppProcess) => `--- ${app.name} ---\n${app.output().slice(-4000)}`;

describe("emulator chat UI in a browser", () => {
  let browser: Browser;
  let stack: Running | undefined;
  let page: Page | undefined;
  // The same two, for the scenarios (set before each of them runs).
  let ui: Page;
  let running: Running;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    stack = await startStack(inject("redisUrl"));
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    pageErrors.length = 0;
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(stack.emulatorUrl);
    await page.waitForSelector("body[data-ready]");
    ui = page;
    running = stack;
  });

  afterEach(async (context) => {
    const failed = context.task.result?.state === "fail";
    const dir = process.env.CHAT_UI_SCREENSHOT_DIR;
    if (page && (dir || failed)) {
      const path = join(dir ?? tmpdir(), `chat-ui-${context.task.name.replace(/\W+/g, "-")}.png`);
      await page.screenshot({ path }).catch(() => undefined);
      if (failed) console.error(`screenshot: ${path}`);
    }
    if (failed && stack) console.error(stack.apps.map(describeApp).join("\n"));
    await page?.close();
    await Promise.all(stack?.apps.map((app) => app.stop()) ?? []);
    page = undefined;
    stack = undefined;
  });

  it("sends a typed message with Enter and shows the bot's echo, marked as a reply", async () => {
    const input = ui.getByTestId("composer-input");
    await input.fill("hello");
    await input.press("Enter");

    await ui.getByTestId("message-user").filter({ hasText: "hello" }).waitFor();
    const answer = ui.getByTestId("message-bot").filter({ hasText: "hello" });
    await answer.waitFor({ timeout: 15_000 });
    await expect(answer.getByTestId("via-badge").textContent()).resolves.toBe("reply");
    await expect(input.inputValue()).resolves.toBe("");

    // The traffic panel shows the webhook delivery and the reply call.
    await ui.getByTestId("log-delivery").filter({ hasText: "message:text" }).waitFor();
    await expect(ui.getByTestId("log-delivery").first().getAttribute("data-status")).resolves.toBe(
      "200",
    );
    await ui.getByTestId("log-tab-apiCalls").click();
    await ui
      .getByTestId("log-api-call")
      .filter({ hasText: "/v2/bot/message/reply" })
      .filter({ hasText: "200" })
      .waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("renders a pushed buttons template and sends a postback when its button is pressed", async () => {
    // The echo bot answers text only, so the template comes by push, as any sender holding the
    // channel's token could send it.
    const state = (await (await fetch(`${running.emulatorUrl}/emulator/state`)).json()) as {
      users: Array<{ userId: string }>;
    };
    const userId = state.users[0]?.userId;
    expect(userId).toBeDefined();
    const push = await fetch(`${running.emulatorUrl}/v2/bot/message/push`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${running.channelAccessToken}`,
        "content-type": "application/json",
        "x-line-retry-key": randomUUID(),
      },
      body: JSON.stringify({
        to: userId,
        messages: [
          {
            type: "template",
            altText: "Pick a size",
            template: {
              type: "buttons",
              title: "Coffee",
              text: "Which size?",
              actions: [
                { type: "postback", label: "Large", data: "size=L", displayText: "Large, please" },
                { type: "uri", label: "Menu", uri: "https://example.com/menu" },
              ],
            },
          },
        ],
      }),
    });
    expect(push.status).toBe(200);

    const card = ui.getByTestId("message-bot").filter({ hasText: "Which size?" });
    await card.waitFor();
    await expect(card.getByTestId("via-badge").textContent()).resolves.toBe("push");
    await card.getByTestId("template-action").filter({ hasText: "Large" }).click();

    // LINE shows the displayText as the user's message; the bot gets a postback event.
    await ui.getByTestId("message-user").filter({ hasText: "Large, please" }).waitFor();
    const deliveries = await waitFor(
      async () => {
        const list = (await (
          await fetch(`${running.emulatorUrl}/emulator/deliveries`)
        ).json()) as Array<{ status: number; body: string }>;
        return list.find((d) => d.status === 200 && d.body.includes('"postback"')) && list;
      },
      { timeoutMs: 10_000, what: "the postback's webhook delivery" },
    );
    const delivered = deliveries.find((d) => d.body.includes('"postback"'));
    const event = JSON.parse(delivered?.body ?? "{}").events?.[0];
    expect(event).toMatchObject({
      type: "postback",
      postback: { data: "size=L" },
      source: { type: "user", userId },
    });
    // It crossed the stack: the worker logged its handling of that very event.
    const logged = await running.apps[2]?.waitForLine(
      (line) => line.webhookEventId === event.webhookEventId,
    );
    expect(logged).toMatchObject({ type: "postback" });
    await ui.getByTestId("log-delivery").filter({ hasText: "postback" }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
