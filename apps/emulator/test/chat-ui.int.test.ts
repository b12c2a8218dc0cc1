import { randomBytes, randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppProcess, freePort, startApp, waitFor, waitForHttp } from "@linefleet/test-support";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";

/**
 * The chat UI in a real (headless) Chromium, against the real stack as processes:
 * emulator → webhook → ingress → Redis/BullMQ → worker (echo bot) → emulator's Messaging API.
 * One browser and one stack serve every scenario (the emulator is reset before each, and each
 * scenario that changes users or chats makes its own). Set CHAT_UI_SCREENSHOT_DIR to keep a
 * screenshot of each scenario; a failing one is always kept (in the system's temporary folder
 * unless that variable says otherwise).
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

/**
 * The browser globals the scenarios use inside the page, declared here because the project's
 * TypeScript has no DOM library (its code all runs on Node).
 */
interface InPage {
  document: {
    documentElement: { scrollWidth: number };
    createElement(tag: "canvas"): {
      width: number;
      height: number;
      getContext(kind: "2d"): {
        drawImage(image: unknown, x: number, y: number, width: number, height: number): void;
        getImageData(
          x: number,
          y: number,
          width: number,
          height: number,
        ): {
          data: Uint8ClampedArray;
        };
      } | null;
    };
  };
  Image: new () => { src: string; decode(): Promise<void> };
  XMLSerializer: new () => { serializeToString(node: unknown): string };
}
interface ControlState {
  bot: { basicId: string };
  users: Array<{ userId: string; displayName: string }>;
}

describe("emulator chat UI in a browser", () => {
  let browser: Browser;
  let stack: Running | undefined;
  let page: Page | undefined;
  // The same two, for the scenarios (set before each of them runs).
  let ui: Page;
  let running: Running;
  const pageErrors: string[] = [];

  const control = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${running.emulatorUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const firstUserId = async () => {
    const userId = (await control<ControlState>("/emulator/state")).users[0]?.userId;
    if (!userId) throw new Error("the emulator has no user");
    return userId;
  };
  /** Sends messages as the bot, by push, as any sender holding the channel's token could. */
  const push = async (to: string, messages: unknown[], headers: Record<string, string> = {}) => {
    const response = await fetch(`${running.emulatorUrl}/v2/bot/message/push`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${running.channelAccessToken}`,
        "content-type": "application/json",
        "x-line-retry-key": randomUUID(),
        ...headers,
      },
      body: JSON.stringify({ to, messages }),
    });
    expect(response.status).toBe(200);
  };
  const reload = async () => {
    await ui.reload();
    await ui.waitForSelector("body[data-ready]");
  };

  beforeAll(async () => {
    const launching = chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
    launching.catch(() => undefined); // awaited below, once the stack is up
    stack = await startStack(inject("redisUrl"));
    running = stack;
    browser = await launching;
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(stack?.apps.map((app) => app.stop()) ?? []);
  });

  beforeEach(async () => {
    await control("/emulator/reset", {});
    // A new page is a new browser context: no stored selection from an earlier scenario.
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    pageErrors.length = 0;
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(running.emulatorUrl);
    await page.waitForSelector("body[data-ready]");
    ui = page;
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
    page = undefined;
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
    const replyCall = ui
      .getByTestId("log-api-call")
      .filter({ hasText: "/v2/bot/message/reply" })
      .filter({ hasText: "200" });
    await replyCall.waitFor();
    // Each call names the LINE operation it reached.
    await expect(replyCall.getByTestId("log-operation").textContent()).resolves.toBe(
      "replyMessage",
    );
    expect(pageErrors).toEqual([]);
  });

  it("renders a pushed buttons template and sends a postback when its button is pressed", async () => {
    // The echo bot answers text only, so the template comes by push.
    const userId = await firstUserId();
    await push(userId, [
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
    ]);

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

    // The emulator keeps the displayText, so it is still there after a reload, after the card.
    await reload();
    const shown = ui.getByTestId("message-user").filter({ hasText: "Large, please" });
    await shown.waitFor();
    await expect(shown.getByTestId("postback-badge").textContent()).resolves.toBe("postback");
    const order = await ui
      .locator("[data-testid=message-user], [data-testid=message-bot]")
      .evaluateAll((rows) => rows.map((row) => row.textContent ?? ""));
    expect(order.findIndex((text) => text.includes("Which size?"))).toBeLessThan(
      order.findIndex((text) => text.includes("Large, please")),
    );
    expect(pageErrors).toEqual([]);
  });
  it("marks a push of scheduled work with its scheduled time", async () => {
    const userId = await firstUserId();
    // As a worker pushes a `ctx.pushLater` item: linefleet's header names the time it was due.
    const due = Date.UTC(2026, 11, 24, 9, 30);
    await push(userId, [{ type: "text", text: "Your reminder" }], {
      "x-linefleet-scheduled-for": String(due),
    });
    await push(userId, [{ type: "text", text: "An ordinary push" }]);
    const reminder = ui.getByTestId("message-bot").filter({ hasText: "Your reminder" });
    await reminder.waitFor();
    const badge = reminder.getByTestId("scheduled-badge");
    await expect(badge.textContent()).resolves.toMatch(/^scheduled \d{1,2}:\d{2}/);
    await expect(badge.getAttribute("title")).resolves.toContain(new Date(due).toISOString());
    const ordinary = ui.getByTestId("message-bot").filter({ hasText: "An ordinary push" });
    await ordinary.waitFor();
    await expect(ordinary.getByTestId("scheduled-badge").count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("fits a 360 px phone: the sidebar folds away and bubbles keep a readable width", async () => {
    // On a desktop the sidebar folds away too, and the chat takes its room.
    const chat = ui.locator(".chat");
    const wide = (await chat.boundingBox())?.width ?? 0;
    await ui.getByTestId("toggle-sidebar").click();
    await expect(ui.locator("#sidebar").isVisible()).resolves.toBe(false);
    expect((await chat.boundingBox())?.width ?? 0).toBeGreaterThan(wide + 200);

    await ui.setViewportSize({ width: 360, height: 740 });
    await reload();
    const sidebar = ui.locator("#sidebar");
    const toggle = ui.getByTestId("toggle-sidebar");
    await expect(sidebar.isVisible()).resolves.toBe(false);
    await expect(toggle.getAttribute("aria-expanded")).resolves.toBe("false");

    const text = "Is a table for four free tonight at seven, or should we come a little later?";
    const input = ui.getByTestId("composer-input");
    await input.fill(text);
    await input.press("Enter");
    const answer = ui.getByTestId("message-bot").filter({ hasText: text });
    await answer.waitFor({ timeout: 15_000 });
    for (const row of [ui.getByTestId("message-user").filter({ hasText: text }), answer]) {
      const bubble = await row.locator(".bubble").boundingBox();
      if (!bubble) throw new Error("no bubble");
      // Broken, the bubble was a column of single letters; now it takes most of the row.
      expect(bubble.width).toBeGreaterThan(180);
      expect(bubble.height).toBeLessThan(120);
      expect(bubble.x).toBeGreaterThanOrEqual(0);
      expect(bubble.x + bubble.width).toBeLessThanOrEqual(360);
    }
    const overflow = await ui.evaluate(
      () => (globalThis as unknown as InPage).document.documentElement.scrollWidth,
    );
    expect(overflow).toBeLessThanOrEqual(360);

    // The toggle opens the sidebar over the chat; picking a chat folds it away again.
    await toggle.click();
    await expect(sidebar.isVisible()).resolves.toBe(true);
    const drawer = await sidebar.boundingBox();
    expect(drawer?.x).toBe(0);
    expect(drawer?.width).toBeGreaterThan(250);
    expect(drawer?.width).toBeLessThanOrEqual(360);
    await expect(toggle.getAttribute("aria-expanded")).resolves.toBe("true");
    await ui.getByTestId("chat-item-user").click();
    await sidebar.waitFor({ state: "hidden" });
    // Tapping beside it folds it away too.
    await toggle.click();
    await sidebar.waitFor({ state: "visible" });
    await ui.getByTestId("backdrop").click({ position: { x: 350, y: 300 } });
    await sidebar.waitFor({ state: "hidden" });

    // The traffic panel opens over the chat, across the phone's width.
    const logs = ui.getByTestId("log-panel");
    await expect(logs.isVisible()).resolves.toBe(false);
    await ui.getByTestId("toggle-logs").click();
    const panel = await logs.boundingBox();
    expect(panel?.width).toBeGreaterThan(300);
    expect((panel?.x ?? -1) + (panel?.width ?? 0)).toBeLessThanOrEqual(360);
    await ui.getByTestId("log-delivery").first().waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("hides quick replies once one is used, and when a newer message comes", async () => {
    const userId = await firstUserId();
    const chips = ui.getByTestId("quick-reply");
    const ask = (text: string, actions: unknown[]) =>
      push(userId, [
        {
          type: "text",
          text,
          quickReply: { items: actions.map((action) => ({ type: "action", action })) },
        },
      ]);

    // A postback without displayText shows nothing in the chat, yet the chips go.
    await ask("Coffee?", [
      { type: "postback", label: "Yes", data: "coffee=yes" },
      { type: "message", label: "No", text: "No thanks" },
    ]);
    await ui.getByTestId("message-bot").filter({ hasText: "Coffee?" }).waitFor();
    await expect(chips.count()).resolves.toBe(2);
    await chips.filter({ hasText: "Yes" }).click();
    await ui.getByTestId("quick-replies").waitFor({ state: "detached" });
    await ui.getByTestId("log-delivery").filter({ hasText: "postback" }).waitFor();
    await reload();
    await ui.getByTestId("message-bot").filter({ hasText: "Coffee?" }).waitFor();
    await expect(chips.count()).resolves.toBe(0);

    // A newer message takes them away.
    await ask("Tea?", [{ type: "message", label: "Green", text: "Green tea" }]);
    await chips.filter({ hasText: "Green" }).waitFor();
    await push(userId, [{ type: "text", text: "Or juice?" }]);
    await ui.getByTestId("message-bot").filter({ hasText: "Or juice?" }).waitFor();
    await ui.getByTestId("quick-replies").waitFor({ state: "detached" });

    // A message chip sends its text as the user's message, and the chips go.
    await ask("Milk?", [{ type: "message", label: "No", text: "No milk" }]);
    await chips.filter({ hasText: "No" }).click();
    await ui.getByTestId("message-user").filter({ hasText: "No milk" }).waitFor();
    await expect(chips.count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("draws every sticker, without relying on the system's emoji fonts", async () => {
    await ui.getByTestId("composer-more").click();
    const tiles = ui.getByTestId("sticker-choice");
    await expect(tiles.count()).resolves.toBe(12);
    // Each drawing is rendered into a canvas and its painted pixels counted.
    const drawn = await tiles.evaluateAll((buttons) =>
      Promise.all(
        buttons.map(async (button) => {
          const svg = button.querySelector("svg");
          if (!svg) return { width: 0, height: 0, painted: 0, colours: 0, text: true };
          const { width, height } = svg.getBoundingClientRect();
          // Run in the page, where globalThis is the window (functions are sent as source).
          const { document, Image, XMLSerializer } = globalThis as unknown as InPage;
          const image = new Image();
          image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
          await image.decode();
          const canvas = document.createElement("canvas");
          canvas.width = 64;
          canvas.height = 64;
          const context = canvas.getContext("2d");
          context?.drawImage(image, 0, 0, 64, 64);
          const pixels = context?.getImageData(0, 0, 64, 64).data ?? new Uint8ClampedArray();
          let painted = 0;
          const colours = new Set<number>();
          for (let i = 0; i < pixels.length; i += 4) {
            if ((pixels[i + 3] ?? 0) < 128) continue;
            painted += 1;
            colours.add(
              ((pixels[i] ?? 0) << 16) | ((pixels[i + 1] ?? 0) << 8) | (pixels[i + 2] ?? 0),
            );
          }
          // Text would need a font; the drawings have none.
          return {
            width,
            height,
            painted,
            colours: colours.size,
            text: svg.querySelector("text") !== null,
          };
        }),
      ),
    );
    for (const tile of drawn) {
      expect(tile.width).toBeGreaterThan(20);
      expect(tile.height).toBeGreaterThan(20);
      expect(tile.painted).toBeGreaterThan(1000); // of 4096: the face alone covers over a third
      expect(tile.colours).toBeGreaterThanOrEqual(3);
      expect(tile.text).toBe(false);
    }

    await tiles.nth(4).click();
    const sent = ui.getByTestId("message-user").filter({ has: ui.locator("svg.sticker-art") });
    await sent.waitFor();
    const art = await sent.locator("svg.sticker-art").boundingBox();
    expect(art?.width).toBeGreaterThan(40);
    await expect(sent.getByTestId("sticker").textContent()).resolves.toContain("789 / 10855");
    expect(pageErrors).toEqual([]);
  });

  it("offers only Unblock in a blocked chat, and lists a group's members under its name", async () => {
    const alice = await firstUserId();
    const bianca = await control<{ userId: string }>("/emulator/users", { displayName: "Bianca" });
    await control("/emulator/groups", {
      groupName: "Lunch club",
      memberIds: [alice, bianca.userId],
    });
    await ui.locator(`[data-testid=user-select] option[value="${bianca.userId}"]`).waitFor({
      state: "attached",
    });
    await ui.getByTestId("user-select").selectOption(bianca.userId);
    await expect(ui.getByTestId("chat-title").textContent()).resolves.toContain("Bianca");

    const actions = ui.locator(".chat-actions button");
    await ui.getByTestId("unfollow").click();
    await ui.getByTestId("unblock").waitFor();
    await expect(ui.getByTestId("chat-status").textContent()).resolves.toBe("blocked");
    await expect(actions.allTextContents()).resolves.toEqual(["Unblock"]);
    await ui.getByTestId("unblock").click();
    await ui.getByTestId("unfollow").waitFor();
    await expect(actions.allTextContents()).resolves.toEqual(["Beacon", "Link account", "Block"]);
    const follow = await waitFor(
      async () =>
        (await control<Array<{ body: string }>>("/emulator/deliveries")).find((d) =>
          d.body.includes('"follow"'),
        ),
      { what: "the follow event's delivery" },
    );
    expect(JSON.parse(follow.body).events[0].follow).toEqual({ isUnblocked: true });

    const { bot } = await control<ControlState>("/emulator/state");
    await ui.getByTestId("chat-item-group").click();
    await expect(ui.getByTestId("chat-title").textContent()).resolves.toBe("Lunch club");
    const subtitle = await ui.getByTestId("chat-subtitle").textContent();
    expect(subtitle).toBe("2 members: Alice, Bianca");
    expect(subtitle).not.toContain(bot.basicId);
    expect(pageErrors).toEqual([]);
  });

  it("sends videoPlayComplete, accountLink and beacon when the user watches, links and walks by", async () => {
    const userId = await firstUserId();
    await push(userId, [
      {
        type: "video",
        originalContentUrl: "https://example.com/tour.mp4",
        previewImageUrl: "https://example.com/tour.jpg",
        trackingId: "tour",
      },
    ]);
    const issued = await fetch(`${running.emulatorUrl}/v2/bot/user/${userId}/linkToken`, {
      method: "POST",
      headers: { authorization: `Bearer ${running.channelAccessToken}` },
    });
    expect(issued.status).toBe(200);

    await ui.getByTestId("video-played").click();
    await ui.getByTestId("account-link").click();
    await ui.getByTestId("beacon").click();
    type Event = { type: string; [field: string]: unknown };
    const byType = await waitFor(
      async () => {
        const list = await control<Array<{ status: number; body: string }>>("/emulator/deliveries");
        const sent = new Map<string, Event>(
          list
            .filter((d) => d.status === 200)
            .map((d) => JSON.parse(d.body).events[0] as Event)
            .map((event) => [event.type, event]),
        );
        return sent.size >= 3 && sent;
      },
      { timeoutMs: 10_000, what: "the three events' deliveries" },
    );
    expect(byType.get("videoPlayComplete")?.videoPlayComplete).toEqual({ trackingId: "tour" });
    expect(byType.get("accountLink")?.link).toMatchObject({ result: "ok" });
    expect(byType.get("beacon")?.beacon).toMatchObject({ type: "enter" });
    expect(pageErrors).toEqual([]);
  });
});
