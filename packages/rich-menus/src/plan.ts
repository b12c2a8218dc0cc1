import { readMarker } from "./menu-name.ts";
import type { DeclaredMenu } from "./read-declared-menus.ts";

/** What LINE has now: its menus (id and name), its aliases and the default menu. */
export interface LiveRichMenus {
  menus: Array<{ richMenuId: string; name: string }>;
  aliases: Array<{ richMenuAliasId: string; richMenuId: string }>;
  defaultRichMenuId: string | undefined;
}

/** A menu that exists (its id), or the one this plan creates for an alias. */
export type MenuRef = { richMenuId: string } | { createdFor: string };

export type RichMenuAction =
  /** Create the menu, then upload its image. */
  | { type: "create"; menu: DeclaredMenu }
  | { type: "createAlias"; alias: string; target: MenuRef }
  | { type: "updateAlias"; alias: string; target: MenuRef; from: string }
  | { type: "setDefault"; alias: string; target: MenuRef }
  | { type: "cancelDefault"; richMenuId: string }
  /** Move every user linked to `from` to `target` (one of LINE's rich menu batch operations). */
  | { type: "relink"; alias: string; from: string; target: MenuRef }
  | { type: "deleteAlias"; alias: string }
  | { type: "delete"; richMenuId: string; alias: string; reason: "replaced" | "undeclared" };

/**
 * The actions that bring LINE's rich menus to the declared ones, in the order they must run:
 * new menus are complete (image uploaded) before an alias or the default points at them, users
 * are moved to a replacing menu before the menu they had is deleted, and only menus the sync
 * created (marked in their name) are ever deleted. An empty plan: nothing to change.
 */
export function planRichMenus(declared: DeclaredMenu[], live: LiveRichMenus): RichMenuAction[] {
  const ours = live.menus.flatMap((menu) => {
    const marker = readMarker(menu.name);
    return marker ? [{ richMenuId: menu.richMenuId, ...marker }] : [];
  });
  const aliasTarget = new Map(live.aliases.map((a) => [a.richMenuAliasId, a.richMenuId]));
  const creates: RichMenuAction[] = [];
  const aliases: RichMenuAction[] = [];
  const defaults: RichMenuAction[] = [];
  const relinks: RichMenuAction[] = [];
  const deletes: RichMenuAction[] = [];
  const targets = new Map<string, MenuRef>();

  for (const menu of declared) {
    const current = aliasTarget.get(menu.alias);
    // Current: the alias points at a menu the sync made from this very declaration. A matching
    // menu the alias does not point at is left from an interrupted sync and is made anew.
    const upToDate = ours.some(
      (m) => m.richMenuId === current && m.alias === menu.alias && m.hash === menu.hash,
    );
    const target: MenuRef =
      upToDate && current ? { richMenuId: current } : { createdFor: menu.alias };
    targets.set(menu.alias, target);
    if (!upToDate) {
      creates.push({ type: "create", menu });
      aliases.push(
        current === undefined
          ? { type: "createAlias", alias: menu.alias, target }
          : { type: "updateAlias", alias: menu.alias, target, from: current },
      );
    }
    for (const stale of ours) {
      if (stale.alias !== menu.alias || (upToDate && stale.richMenuId === current)) continue;
      relinks.push({ type: "relink", alias: menu.alias, from: stale.richMenuId, target });
      deletes.push({
        type: "delete",
        richMenuId: stale.richMenuId,
        alias: menu.alias,
        reason: "replaced",
      });
    }
  }

  const declaredAliases = new Set(declared.map((menu) => menu.alias));
  for (const gone of ours) {
    if (declaredAliases.has(gone.alias)) continue;
    if (aliasTarget.get(gone.alias) === gone.richMenuId) {
      deletes.unshift({ type: "deleteAlias", alias: gone.alias });
    }
    deletes.push({
      type: "delete",
      richMenuId: gone.richMenuId,
      alias: gone.alias,
      reason: "undeclared",
    });
  }

  const wanted = declared.find((menu) => menu.isDefault);
  const wantedTarget = wanted && targets.get(wanted.alias);
  if (wanted && wantedTarget) {
    if (!("richMenuId" in wantedTarget) || wantedTarget.richMenuId !== live.defaultRichMenuId) {
      defaults.push({ type: "setDefault", alias: wanted.alias, target: wantedTarget });
    }
  } else if (live.defaultRichMenuId !== undefined) {
    // No declared default: a default the sync set goes (unless deleting its menu clears it).
    const defaultId = live.defaultRichMenuId;
    const ourDefault = ours.find((m) => m.richMenuId === defaultId);
    const deleted = deletes.some((a) => a.type === "delete" && a.richMenuId === defaultId);
    if (ourDefault && !deleted) defaults.push({ type: "cancelDefault", richMenuId: defaultId });
  }
  return [...creates, ...aliases, ...defaults, ...relinks, ...deletes];
}
