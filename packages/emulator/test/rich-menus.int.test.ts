import { buffer } from "node:stream/consumers";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { png } from "./support/png.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

async function start() {
  running = await startEmulatorWithReceiver();
  const { emulator } = running;
  const alice = emulator.state().users[0];
  if (!alice) throw new Error("the emulator starts with one user");
  const bob = emulator.addUser({ displayName: "Bob" });
  return { emulator, alice, bob, ...sdkClients(emulator) };
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

const menu = (name: string) => ({
  size: { width: 800, height: 540 },
  selected: true,
  name,
  chatBarText: "Menu",
  areas: [
    {
      bounds: { x: 0, y: 0, width: 400, height: 540 },
      action: { type: "postback" as const, data: `${name}=left` },
    },
  ],
});

describe("rich menus", () => {
  it("lives through create, image upload and download on the data host, list, get and delete", async () => {
    const { emulator, client, blob } = await start();
    const { richMenuId } = await client.createRichMenu(menu("main"));
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);

    // Not yet uploaded: LINE has no image to give.
    expect((await sdkFailure(blob.getRichMenuImage(richMenuId))).status).toBe(404);
    const image = png(800, 540);
    await blob.setRichMenuImage(richMenuId, new Blob([image], { type: "image/png" }));
    const upload = emulator.apiCalls().find((call) => call.operation === "setRichMenuImage");
    expect(upload).toMatchObject({ status: 200, body: `<${image.length} bytes image/png>` });
    const downloaded = await blob.getRichMenuImageWithHttpInfo(richMenuId);
    expect(downloaded.httpResponse.headers.get("content-type")).toBe("image/png");
    expect((await buffer(downloaded.body)).equals(image)).toBe(true);
    // One image per menu, as at LINE.
    const again = await sdkFailure(
      blob.setRichMenuImage(richMenuId, new Blob([image], { type: "image/png" })),
    );
    expect(again.status).toBe(400);

    expect(await client.getRichMenu(richMenuId)).toEqual({ richMenuId, ...menu("main") });
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toEqual([
      richMenuId,
    ]);
    await client.deleteRichMenu(richMenuId);
    expect((await sdkFailure(client.getRichMenu(richMenuId))).status).toBe(404);
    expect((await client.getRichMenuList()).richmenus).toEqual([]);
  });

  it("refuses what LINE refuses: a bad size, an image of another size, a menu without image", async () => {
    const { client, blob, alice } = await start();
    const tooNarrow = await sdkFailure(
      client.createRichMenu({ ...menu("x"), size: { width: 700, height: 540 } }),
    );
    expect(tooNarrow.status).toBe(400);
    expect(tooNarrow.body.details).toContainEqual({
      message: "Must be between 800 and 2500",
      property: "size.width",
    });
    const validation = await sdkFailure(
      client.validateRichMenuObject({ ...menu("x"), chatBarText: "fifteen chars!!" }),
    );
    expect(validation.body.details).toContainEqual({
      message: "Length must be between 0 and 14",
      property: "chatBarText",
    });

    const { richMenuId } = await client.createRichMenu(menu("x"));
    const wrongSize = await sdkFailure(
      blob.setRichMenuImage(richMenuId, new Blob([png(810, 540)], { type: "image/png" })),
    );
    expect(wrongSize.status).toBe(400);
    const noImage = await sdkFailure(client.linkRichMenuIdToUser(alice.userId, richMenuId));
    expect(noImage).toMatchObject({
      status: 400,
      body: { message: "must upload richmenu image before applying it to user" },
    });
  });

  it("shows a user their own link over the default, and the default again once unlinked", async () => {
    const { emulator, client, blob, alice, bob } = await start();
    const ids: string[] = [];
    for (const name of ["default", "personal"]) {
      const { richMenuId } = await client.createRichMenu(menu(name));
      await blob.setRichMenuImage(richMenuId, new Blob([png(800, 540)], { type: "image/png" }));
      ids.push(richMenuId);
    }
    const [defaultId, personalId] = ids as [string, string];

    expect(emulator.richMenuOf(alice.userId)).toBeNull();
    await client.setDefaultRichMenu(defaultId);
    expect(await client.getDefaultRichMenuId()).toEqual({ richMenuId: defaultId });
    await client.linkRichMenuIdToUser(alice.userId, personalId);

    expect(emulator.richMenuOf(alice.userId)).toMatchObject({
      richMenuId: personalId,
      source: "user",
    });
    expect(emulator.richMenuOf(bob.userId)).toMatchObject({
      richMenuId: defaultId,
      source: "default",
    });
    expect(await client.getRichMenuIdOfUser(alice.userId)).toEqual({ richMenuId: personalId });
    // The default is nobody's own menu.
    expect((await sdkFailure(client.getRichMenuIdOfUser(bob.userId))).status).toBe(404);

    const response = await fetch(`${emulator.url}/emulator/users/${alice.userId}/richmenu`);
    expect(((await response.json()) as { richMenu: unknown }).richMenu).toMatchObject({
      richMenuId: personalId,
    });

    await client.unlinkRichMenuIdFromUser(alice.userId);
    expect(emulator.richMenuOf(alice.userId)).toMatchObject({ richMenuId: defaultId });
    await client.cancelDefaultRichMenu();
    expect(emulator.richMenuOf(alice.userId)).toBeNull();
    expect((await sdkFailure(client.getDefaultRichMenuId())).status).toBe(404);
  });

  it("links and unlinks in bulk, and moves users from menu to menu in a batch with progress", async () => {
    const { emulator, client, blob, alice, bob } = await start();
    const ids: string[] = [];
    for (const name of ["a", "b"]) {
      const { richMenuId } = await client.createRichMenu(menu(name));
      await blob.setRichMenuImage(richMenuId, new Blob([png(800, 540)], { type: "image/png" }));
      ids.push(richMenuId);
    }
    const [a, b] = ids as [string, string];
    const bulk = await client.linkRichMenuIdToUsersWithHttpInfo({
      richMenuId: a,
      userIds: [alice.userId, bob.userId],
    });
    expect(bulk.httpResponse.status).toBe(202);
    expect(emulator.richMenuOf(bob.userId)?.richMenuId).toBe(a);

    await client.validateRichMenuBatchRequest({ operations: [{ type: "link", from: a, to: b }] });
    const batch = await client.richMenuBatchWithHttpInfo({
      operations: [{ type: "link", from: a, to: b }],
    });
    expect(batch.httpResponse.status).toBe(202);
    const requestId = batch.httpResponse.headers.get("x-line-request-id") ?? "";
    expect(await client.getRichMenuBatchProgress(requestId)).toMatchObject({ phase: "succeeded" });
    expect(emulator.richMenuOf(alice.userId)?.richMenuId).toBe(b);
    expect(emulator.richMenuOf(bob.userId)?.richMenuId).toBe(b);

    await client.unlinkRichMenuIdFromUsers({ userIds: [bob.userId] });
    expect(emulator.richMenuOf(bob.userId)).toBeNull();
    await client.richMenuBatch({ operations: [{ type: "unlinkAll" }] });
    expect(emulator.richMenuOf(alice.userId)).toBeNull();

    const unknown = await sdkFailure(
      client.validateRichMenuBatchRequest({ operations: [{ type: "unlink", from: "richmenu-0" }] }),
    );
    expect(unknown.status).toBe(400);
  });

  it("keeps aliases: create, get, list, re-point, delete", async () => {
    const { client, blob } = await start();
    const ids: string[] = [];
    for (const name of ["tab-a", "tab-b"]) {
      const { richMenuId } = await client.createRichMenu(menu(name));
      await blob.setRichMenuImage(richMenuId, new Blob([png(800, 540)], { type: "image/png" }));
      ids.push(richMenuId);
    }
    const [a, b] = ids as [string, string];
    await client.createRichMenuAlias({ richMenuAliasId: "tab", richMenuId: a });
    const duplicate = await sdkFailure(
      client.createRichMenuAlias({ richMenuAliasId: "tab", richMenuId: b }),
    );
    expect(duplicate.status).toBe(400);
    const badName = await sdkFailure(
      client.createRichMenuAlias({ richMenuAliasId: "Tab!", richMenuId: b }),
    );
    expect(badName.status).toBe(400);

    expect(await client.getRichMenuAlias("tab")).toEqual({ richMenuAliasId: "tab", richMenuId: a });
    await client.updateRichMenuAlias("tab", { richMenuId: b });
    expect(await client.getRichMenuAliasList()).toEqual({
      aliases: [{ richMenuAliasId: "tab", richMenuId: b }],
    });
    await client.deleteRichMenuAlias("tab");
    expect((await sdkFailure(client.getRichMenuAlias("tab"))).status).toBe(404);
    expect(await client.getRichMenuAliasList()).toEqual({ aliases: [] });
  });

  it("plays a richmenuswitch tap: the alias's menu shows until the bot links one; its image for the UI", async () => {
    const { emulator, client, blob, alice } = await start();
    const image = png(800, 540);
    const ids: string[] = [];
    for (const name of ["home", "tab"]) {
      const { richMenuId } = await client.createRichMenu(menu(name));
      await blob.setRichMenuImage(richMenuId, new Blob([image], { type: "image/png" }));
      ids.push(richMenuId);
    }
    const [home, tab] = ids as [string, string];
    await client.setDefaultRichMenu(home);
    await client.createRichMenuAlias({ richMenuAliasId: "tab", richMenuId: tab });
    const switchTo = async (richMenuAliasId: string) =>
      (await fetch(`${emulator.url}/emulator/users/${alice.userId}/richmenu/switch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ richMenuAliasId }),
      }).then((r) => r.json())) as { status: string };

    expect(await switchTo("nowhere")).toEqual({ status: "RICHMENU_ALIAS_ID_NOTFOUND" });
    expect(emulator.richMenuOf(alice.userId)).toMatchObject({
      richMenuId: home,
      source: "default",
    });
    expect(await switchTo("tab")).toEqual({ status: "SUCCESS" });
    expect(emulator.richMenuOf(alice.userId)).toMatchObject({ richMenuId: tab, source: "switch" });
    // The switch is the app's, not a link: LINE still says the user has no menu of their own.
    expect((await sdkFailure(client.getRichMenuIdOfUser(alice.userId))).status).toBe(404);
    // A link the bot makes ends it.
    await client.linkRichMenuIdToUser(alice.userId, home);
    expect(emulator.richMenuOf(alice.userId)).toMatchObject({ richMenuId: home, source: "user" });

    const served = await fetch(`${emulator.url}/emulator/richmenus/${tab}/image`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);
    expect((await fetch(`${emulator.url}/emulator/richmenus/richmenu-none/image`)).status).toBe(
      404,
    );
  });
});
