import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { RichMenusInvalidError } from "../src/errors.ts";
import { readDeclaredMenus } from "../src/read-declared-menus.ts";

/** A one-colour greyscale PNG of the given size. */
function png(width: number, height: number, grey = 0x80): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  const rows = Buffer.alloc((width + 1) * height, grey);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const dir = mkdtempSync(join(tmpdir(), "rich-menus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "grey.png"), png(800, 270));
writeFileSync(join(dir, "dark.png"), png(800, 270, 0x20));
writeFileSync(join(dir, "small.png"), png(400, 270));
writeFileSync(join(dir, "notes.txt"), "not a picture");

const menu = (overrides: Record<string, unknown> = {}) => ({
  alias: "main",
  name: "Main",
  size: { width: 800, height: 270 },
  chatBarText: "Menu",
  image: "./grey.png",
  areas: [
    {
      bounds: { x: 0, y: 0, width: 800, height: 270 },
      action: { type: "postback", data: "a=1", displayText: "A" },
    },
  ],
  ...overrides,
});
const read = (menus: unknown) => readDeclaredMenus(menus, { baseDir: dir, module: "menus.ts" });
const problemsOf = async (menus: unknown) => {
  const error = await read(menus).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RichMenusInvalidError);
  return (error as RichMenusInvalidError).problems;
};

describe("readDeclaredMenus", () => {
  it("reads the image, fills the defaults, and hashes the content, not the key order", async () => {
    const [first] = await read([menu()]);
    expect(first).toMatchObject({
      alias: "main",
      isDefault: false,
      object: { selected: false, name: "Main", chatBarText: "Menu" },
      image: { contentType: "image/png" },
    });
    expect(first?.hash).toMatch(/^[0-9a-f]{16}$/);
    const reordered = {
      areas: menu().areas,
      image: "./grey.png",
      chatBarText: "Menu",
      size: { height: 270, width: 800 },
      name: "Main",
      alias: "main",
    };
    expect((await read([reordered]))[0]?.hash).toBe(first?.hash);
  });

  it("gives another hash for another picture or any other field", async () => {
    const [base] = await read([menu()]);
    const [otherImage] = await read([menu({ image: "./dark.png" })]);
    const [otherText] = await read([menu({ chatBarText: "Open" })]);
    const [selected] = await read([menu({ selected: true })]);
    const hashes = new Set([base, otherImage, otherText, selected].map((m) => m?.hash));
    expect(hashes.size).toBe(4);
  });

  it("names every problem with its place, the images' too", async () => {
    const problems = await problemsOf([
      menu({ alias: "Main!" }),
      menu({
        alias: "second",
        chatBarText: "a chat bar text too long",
        areas: [
          {
            bounds: { x: 700, y: 0, width: 200, height: 270 },
            action: { type: "richmenuswitch", richMenuAliasId: "gone", data: "x" },
          },
        ],
      }),
      menu({ alias: "second", default: true }),
      menu({ alias: "third", default: true, size: { width: 800, height: 600 } }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        "menus[0].alias: must match ^[a-z0-9_-]{1,32}$ (LINE's alias rule)",
        expect.stringMatching(/^menus\[1\]\.chatBarText: /),
        "menus[1].areas[0].bounds: must lie within the menu (800x270)",
        "menus[1].areas[0].action.richMenuAliasId: no declared menu has the alias gone",
        "menus[2].alias: second is declared twice",
        "the default export: at most one menu may be the default; second, third are",
        "menus[3].size: width/height must be at least 1.45 (LINE's rule)",
      ]),
    );
    const images = await problemsOf([
      menu({ image: "./small.png" }),
      menu({ alias: "b", image: "./none.png" }),
      menu({ alias: "c", image: new URL(`file://${join(dir, "notes.txt")}`) }),
      menu({ alias: "d", name: "n".repeat(280) }),
    ]);
    expect(images).toEqual([
      `menus[0].image: ${join(dir, "small.png")} is 400x270; the menu's size is 800x270`,
      `menus[1].image: cannot read ${join(dir, "none.png")} (ENOENT)`,
      `menus[2].image: ${join(dir, "notes.txt")} is not a PNG or JPEG image`,
      "menus[3].name: too long; with the sync's marker it must fit LINE's 300 characters",
    ]);
    expect(await problemsOf({ alias: "main" })).toEqual([
      "the default export: Invalid input: expected array, received object",
    ]);
  });
});
