import { describe, expect, it } from "vitest";
import { markedName } from "../src/menu-name.ts";
import { type LiveRichMenus, planRichMenus } from "../src/plan.ts";
import type { DeclaredMenu } from "../src/read-declared-menus.ts";

const declared = (alias: string, hash: string, isDefault = false): DeclaredMenu => ({
  alias,
  isDefault,
  hash,
  object: {
    size: { width: 800, height: 270 },
    selected: false,
    name: `${alias} menu`,
    chatBarText: "Menu",
    areas: [],
  },
  image: { bytes: Buffer.alloc(0), contentType: "image/png", path: `${alias}.png` },
});

/** LINE holding menus the sync made (alias, hash) and their aliases. */
function live(
  menus: Array<{ id: string; alias: string; hash: string; aliased?: boolean }>,
  defaultRichMenuId?: string,
  others: Array<{ richMenuId: string; name: string }> = [],
): LiveRichMenus {
  return {
    menus: [
      ...menus.map((m) => ({
        richMenuId: m.id,
        name: markedName(`${m.alias} menu`, m.alias, m.hash),
      })),
      ...others,
    ],
    aliases: menus
      .filter((m) => m.aliased !== false)
      .map((m) => ({ richMenuAliasId: m.alias, richMenuId: m.id })),
    defaultRichMenuId,
  };
}

const h1 = "1111111111111111";
const h2 = "2222222222222222";
const kinds = (actions: ReturnType<typeof planRichMenus>) => actions.map((a) => a.type);

describe("planRichMenus", () => {
  it("creates a missing menu, its alias and the default, in that order", () => {
    const plan = planRichMenus([declared("main", h1, true)], live([]));
    expect(kinds(plan)).toEqual(["create", "createAlias", "setDefault"]);
    expect(plan[1]).toMatchObject({ alias: "main", target: { createdFor: "main" } });
  });

  it("plans nothing when LINE already has every declared menu as declared", () => {
    const plan = planRichMenus(
      [declared("main", h1, true), declared("more", h2)],
      live(
        [
          { id: "rm-main", alias: "main", hash: h1 },
          { id: "rm-more", alias: "more", hash: h2 },
        ],
        "rm-main",
      ),
    );
    expect(plan).toEqual([]);
  });

  it("replaces a changed menu: new menu, alias re-pointed, default, users moved, old deleted", () => {
    const plan = planRichMenus(
      [declared("main", h2, true)],
      live([{ id: "rm-old", alias: "main", hash: h1 }], "rm-old"),
    );
    expect(plan).toMatchObject([
      { type: "create", menu: { alias: "main" } },
      { type: "updateAlias", alias: "main", from: "rm-old", target: { createdFor: "main" } },
      { type: "setDefault", alias: "main" },
      { type: "relink", from: "rm-old", target: { createdFor: "main" } },
      { type: "delete", richMenuId: "rm-old", reason: "replaced" },
    ]);
  });

  it("deletes only the menus it made that are no longer declared, with their aliases", () => {
    const plan = planRichMenus(
      [declared("main", h1)],
      live(
        [
          { id: "rm-main", alias: "main", hash: h1 },
          { id: "rm-gone", alias: "gone", hash: h1 },
        ],
        undefined,
        [{ richMenuId: "rm-by-hand", name: "Made in the console" }],
      ),
    );
    expect(plan).toEqual([
      { type: "deleteAlias", alias: "gone" },
      { type: "delete", richMenuId: "rm-gone", alias: "gone", reason: "undeclared" },
    ]);
  });

  it("remakes a menu an interrupted sync left without its alias, and clears the leftover", () => {
    const plan = planRichMenus(
      [declared("main", h2)],
      live([
        { id: "rm-old", alias: "main", hash: h1 },
        { id: "rm-half", alias: "main", hash: h2, aliased: false },
      ]),
    );
    // The alias still points at rm-old; both old and half-made menus hand their users over.
    expect(kinds(plan)).toEqual(["create", "updateAlias", "relink", "relink", "delete", "delete"]);
    expect(
      plan.filter((a) => a.type === "delete").map((a) => "richMenuId" in a && a.richMenuId),
    ).toEqual(["rm-old", "rm-half"]);
  });

  it("cancels a default it set once no menu is declared default; leaves others' defaults", () => {
    const ours = live([{ id: "rm-main", alias: "main", hash: h1 }], "rm-main");
    expect(planRichMenus([declared("main", h1)], ours)).toEqual([
      { type: "cancelDefault", richMenuId: "rm-main" },
    ]);
    const theirs = live([{ id: "rm-main", alias: "main", hash: h1 }], "rm-by-hand", [
      { richMenuId: "rm-by-hand", name: "Made in the console" },
    ]);
    expect(planRichMenus([declared("main", h1)], theirs)).toEqual([]);
  });

  it("takes over an alias made by hand, without deleting the menu it pointed at", () => {
    const state: LiveRichMenus = {
      menus: [{ richMenuId: "rm-by-hand", name: "Made in the console" }],
      aliases: [{ richMenuAliasId: "main", richMenuId: "rm-by-hand" }],
      defaultRichMenuId: undefined,
    };
    expect(kinds(planRichMenus([declared("main", h1)], state))).toEqual(["create", "updateAlias"]);
  });
});
