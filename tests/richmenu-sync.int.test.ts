import { randomBytes, randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AppProcess,
  freePort,
  repoRoot,
  startApp,
  waitForHttp,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeChannelsFile } from "./channels-file.ts";
import { lineAt, richMenuSync } from "./richmenu-sync-command.ts";

/**
 * `linefleet richmenu sync` as a user runs it, a process, against the emulator as a process:
 * created once, a no-op the second time, a changed image replacing the menu with its users
 * moved over, a dry run that changes nothing, and a module LINE would refuse reported whole.
 */

const token = `token-${randomUUID()}`;
let emulator: AppProcess;
let url: string;
let dir: string;

/** LINE's Messaging API as the bot's token reaches it. */
async function line<T>(method: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as T };
}
const aliasTarget = async (alias: string) =>
  (await line<{ richMenuId: string }>("GET", `/v2/bot/richmenu/alias/${alias}`)).body.richMenuId;
const menuOfUser = async (userId: string) =>
  (await line<{ richMenuId?: string }>("GET", `/v2/bot/user/${userId}/richmenu`)).body.richMenuId;
const menuIds = async () =>
  (
    await line<{ richmenus: Array<{ richMenuId: string }> }>("GET", "/v2/bot/richmenu/list")
  ).body.richmenus
    .map((menu) => menu.richMenuId)
    .sort();

/** Writes the module: `main` (the default) and `more`, each with the image file it names. */
function writeModule(images: { main: string; more?: string }) {
  const menu = (alias: string, image: string, extra = "") => `{
    alias: "${alias}", name: "${alias} menu", chatBarText: "${alias}", ${extra}
    size: { width: 1200, height: 405 },
    image: "./${image}",
    areas: [
      { bounds: { x: 0, y: 0, width: 600, height: 405 }, action: { type: "postback", data: "${alias}=left" } },
      { bounds: { x: 600, y: 0, width: 600, height: 405 }, action: { type: "message", text: "${alias}" } },
    ],
  }`;
  const menus = [menu("main", images.main, "default: true,")];
  if (images.more) menus.push(menu("more", images.more));
  writeFileSync(join(dir, "menus.ts"), `export default [${menus.join(",\n")}];\n`);
  return join(dir, "menus.ts");
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "richmenu-sync-"));
  for (const name of ["main.png", "more.png"]) {
    copyFileSync(join(repoRoot, "examples/demo-bot/rich-menus", name), join(dir, name));
  }
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  emulator = startApp("emulator", "apps/emulator/src/main.ts", {
    LINE_CHANNEL_SECRET: randomBytes(16).toString("hex"),
    LINE_CHANNEL_ACCESS_TOKEN: token,
    EMULATOR_PORT: String(port),
  });
  await waitForHttp(`${url}/emulator/state`, 30_000, emulator);
});
afterAll(async () => {
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("linefleet richmenu sync", () => {
  it("creates the menus once; the second run changes nothing", async () => {
    const module = writeModule({ main: "main.png", more: "more.png" });
    const dry = await richMenuSync(module, lineAt(url, token), "--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("would create main (main menu)");
    expect(dry.stdout).toContain("dry run: 5 changes planned, none made");
    expect(await menuIds()).toEqual([]);

    const first = await richMenuSync(module, lineAt(url, token));
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split("\n");
    expect(lines.map((l) => l.replace(/richmenu-[0-9a-f]{32}/g, "ID"))).toEqual([
      "create main (main menu): ID, upload main.png",
      "create more (more menu): ID, upload more.png",
      "create alias main → ID",
      "create alias more → ID",
      "make main (ID) the default menu",
      "done: 5 changes",
    ]);
    const main = await aliasTarget("main");
    expect((await line<{ richMenuId: string }>("GET", "/v2/bot/user/all/richmenu")).body).toEqual({
      richMenuId: main,
    });
    // The image went up with the menu: LINE gives it back byte for byte.
    const image = await fetch(`${url}/v2/bot/richmenu/${main}/content`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).length).toBeGreaterThan(1000);

    const second = await richMenuSync(module, lineAt(url, token));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe("nothing to change (2 menus up to date)");
    expect(await aliasTarget("main")).toBe(main);
  });

  it("replaces a menu whose image changed, and its users keep it", async () => {
    const state = (await (await fetch(`${url}/emulator/state`)).json()) as {
      users: Array<{ userId: string }>;
    };
    const alice = state.users[0]?.userId ?? "";
    const bob = (
      (await (
        await fetch(`${url}/emulator/users`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ displayName: "Bob" }),
        })
      ).json()) as { userId: string }
    ).userId;
    const oldMore = await aliasTarget("more");
    const main = await aliasTarget("main");
    // Alice gets `more` as her own menu, as a bot's ctx.linkRichMenu("more") does; Bob has none.
    expect((await line("POST", `/v2/bot/user/${alice}/richmenu/${oldMore}`)).status).toBe(200);

    const module = writeModule({ main: "main.png", more: "main.png" });
    const replaced = await richMenuSync(module, lineAt(url, token));
    expect(replaced.code, replaced.stderr).toBe(0);
    const newMore = await aliasTarget("more");
    expect(newMore).not.toBe(oldMore);
    expect(replaced.stdout.trim().split("\n")).toEqual([
      `create more (more menu): ${newMore}, upload main.png`,
      `point alias more at ${newMore} (was ${oldMore})`,
      `move users of ${oldMore} to ${newMore} (more)`,
      `delete ${oldMore} (more, replaced)`,
      "done: 4 changes",
    ]);
    expect(await menuOfUser(alice)).toBe(newMore);
    expect((await line("GET", `/v2/bot/user/${bob}/richmenu`)).status).toBe(404);
    expect(await menuIds()).toEqual([main, newMore].sort());
    expect((await line("GET", `/v2/bot/richmenu/${oldMore}`)).status).toBe(404);
    // What the chat shows each: Alice her own menu, Bob the default.
    const shown = async (userId: string) =>
      (
        (await (await fetch(`${url}/emulator/users/${userId}/richmenu`)).json()) as {
          richMenu: { richMenuId: string; source: string };
        }
      ).richMenu;
    expect(await shown(alice)).toMatchObject({ richMenuId: newMore, source: "user" });
    expect(await shown(bob)).toMatchObject({ richMenuId: main, source: "default" });

    const again = await richMenuSync(module, lineAt(url, token));
    expect(again.stdout.trim()).toBe("nothing to change (2 menus up to date)");
  });

  it("deletes a menu no longer declared, and leaves menus made by other means", async () => {
    const byHand = (
      await fetch(`${url}/v2/bot/richmenu`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          size: { width: 800, height: 270 },
          selected: false,
          name: "made in the console",
          chatBarText: "Other",
          areas: [],
        }),
      })
    ).json() as Promise<{ richMenuId: string }>;
    const { richMenuId: other } = await byHand;
    const more = await aliasTarget("more");
    const module = writeModule({ main: "main.png" });

    const dry = await richMenuSync(module, lineAt(url, token), "--dry-run");
    expect(dry.stdout.trim().split("\n")).toEqual([
      "would delete alias more (no longer declared)",
      `would delete ${more} (more, no longer declared)`,
      "dry run: 2 changes planned, none made",
    ]);
    expect(await aliasTarget("more")).toBe(more);

    const run = await richMenuSync(module, lineAt(url, token));
    expect(run.code, run.stderr).toBe(0);
    expect(await menuIds()).toEqual([await aliasTarget("main"), other].sort());
    expect((await line("GET", "/v2/bot/richmenu/alias/more")).status).toBe(404);
  });

  it("names every problem of a module LINE would refuse, and changes nothing", async () => {
    const before = await menuIds();
    writeFileSync(
      join(dir, "bad.ts"),
      `export default [
        { alias: "Main Menu", name: "x", chatBarText: "Menu", size: { width: 1200, height: 405 },
          image: "./main.png", areas: [] },
        { alias: "small", name: "y", chatBarText: "Menu", size: { width: 1200, height: 405 },
          image: "./missing.png",
          areas: [{ bounds: { x: 1000, y: 0, width: 400, height: 405 }, action: { type: "richmenuswitch", richMenuAliasId: "nowhere", data: "x" } }] },
      ];\n`,
    );
    const bad = await richMenuSync(join(dir, "bad.ts"), lineAt(url, token));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("menus[0].alias: must match ^[a-z0-9_-]{1,32}$");
    expect(bad.stderr).toContain("menus[1].areas[0].bounds: must lie within the menu (1200x405)");
    expect(bad.stderr).toContain(
      "menus[1].areas[0].action.richMenuAliasId: no declared menu has the alias nowhere",
    );
    expect(bad.stderr).not.toContain("    at "); // no stack trace

    writeFileSync(
      join(dir, "no-image.ts"),
      `export default [{ alias: "x", name: "x", chatBarText: "x", size: { width: 800, height: 270 }, image: "./missing.png", areas: [] },
        { alias: "y", name: "y", chatBarText: "y", size: { width: 800, height: 270 }, image: "./main.png", areas: [] }];\n`,
    );
    const noImage = await richMenuSync(join(dir, "no-image.ts"), lineAt(url, token));
    expect(noImage.code).toBe(1);
    expect(noImage.stderr).toMatch(/menus\[0\]\.image: cannot read .*missing\.png \(ENOENT\)/);
    expect(noImage.stderr).toMatch(
      /menus\[1\]\.image: .*main\.png is 1200x405; the menu's size is 800x270/,
    );
    expect(await menuIds()).toEqual(before);
  });

  it("syncs the channel --channel names in CHANNELS_FILE, a managed token taken through Redis", async () => {
    const channels = writeChannelsFile([
      {
        name: "shop",
        channelSecret: randomBytes(16).toString("hex"),
        channelAccessToken: `shop-${randomUUID()}`,
      },
      {
        name: "news",
        channelSecret: randomBytes(16).toString("hex"),
        channelId: "1657000002",
        token: "stateless",
      },
    ]);
    const port = await freePort();
    const channelsUrl = `http://127.0.0.1:${port}`;
    const both = startApp("emulator-channels", "apps/emulator/src/main.ts", {
      CHANNELS_FILE: channels,
      EMULATOR_PORT: String(port),
    });
    try {
      await waitForHttp(`${channelsUrl}/emulator/state`, 30_000, both);
      const env = {
        CHANNELS_FILE: channels,
        LINE_API_BASE_URL: channelsUrl,
        LINE_DATA_API_BASE_URL: channelsUrl,
        REDIS_URL: inject("redisUrl"),
        QUEUE_PREFIX: `t-${randomUUID()}`,
      };
      const module = writeModule({ main: "main.png" });

      const unnamed = await richMenuSync(module, env);
      expect(unnamed.code).toBe(1);
      expect(unnamed.stderr).toContain(
        "--channel is required: CHANNELS_FILE has the channels shop, news",
      );
      const unknown = await richMenuSync(module, env, "--channel", "blog");
      expect(unknown.stderr).toContain(
        "--channel is invalid: no channel blog (the channels are shop, news)",
      );

      const news = await richMenuSync(module, env, "--channel", "news");
      expect(news.code, news.stderr).toBe(0);
      expect(news.stderr).toContain("richmenu sync: channel news");
      expect(news.stdout).toContain("done: 3 changes");
      // The news channel has the menu, the shop channel none: each channel's menus are its own.
      const shown = async (channel: string) => {
        const state = (await (await fetch(`${channelsUrl}/emulator/state`)).json()) as {
          users: Array<{ userId: string }>;
        };
        const userId = state.users[0]?.userId ?? "";
        return (
          (await (
            await fetch(`${channelsUrl}/emulator/users/${userId}/richmenu?channel=${channel}`)
          ).json()) as { richMenu: { chatBarText: string } | null }
        ).richMenu;
      };
      expect(await shown("news")).toMatchObject({ chatBarText: "main" });
      expect(await shown("shop")).toBeNull();

      const again = await richMenuSync(module, env, "--channel", "news");
      expect(again.stdout.trim()).toBe("nothing to change (1 menu up to date)");
      const shop = await richMenuSync(module, env, "--channel", "shop");
      expect(shop.stdout).toContain("done: 3 changes");
      expect(await shown("shop")).toMatchObject({ chatBarText: "main" });
    } finally {
      await both.stop();
    }
  });

  it("says which variable is missing, that LINE is unreachable, or which flag it does not know", async () => {
    const result = await richMenuSync(join(dir, "menus.ts"), {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("LINE_CHANNEL_ACCESS_TOKEN");
    expect(result.stderr).not.toContain("    at ");

    const away = await richMenuSync(join(dir, "menus.ts"), lineAt("http://127.0.0.1:1", token));
    expect(away.code).toBe(1);
    expect(away.stderr).toContain("richmenu sync: LINE API unreachable");
    expect(away.stderr).not.toContain(token);
    expect(away.stderr).not.toContain("    at ");

    const flag = await richMenuSync(join(dir, "menus.ts"), lineAt(url, token), "--force");
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--force'");
    expect(flag.stderr).toContain("Usage: linefleet richmenu sync <module> [--dry-run]");
  });
});
