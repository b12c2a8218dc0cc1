import { setTimeout as sleep } from "node:timers/promises";
import { HTTPFetchError, type messagingApi } from "@line/bot-sdk";
import { RichMenuRelinkError } from "./errors.ts";
import { markedName } from "./menu-name.ts";
import { type LiveRichMenus, type MenuRef, planRichMenus, type RichMenuAction } from "./plan.ts";
import type { DeclaredMenu } from "./read-declared-menus.ts";

/** The SDK's clients the sync calls: rich menus on api.line.me, their images on api-data. */
export interface RichMenuClients {
  api: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
}

export interface SyncOptions {
  /** Print the plan and change nothing (LINE still validates each menu to be created). */
  dryRun?: boolean;
  /** Called with one line per action, as it is done (or, in a dry run, planned). */
  report?: (line: string) => void;
  /** How long LINE may take to move users to replacing menus (its batch runs asynchronously). */
  relinkTimeoutMs?: number;
}

export interface SyncResult {
  /** What was done (in a dry run, what would be); none when LINE already matched. */
  actions: RichMenuAction[];
}

/**
 * Brings the channel's rich menus to the declared ones: creates what is missing, replaces what
 * changed (new menu and image, alias re-pointed, its users moved over, then the old menu
 * deleted), deletes the menus it created that are no longer declared, and sets the default.
 * Run twice, the second run plans nothing.
 */
export async function syncRichMenus(
  declared: DeclaredMenu[],
  line: RichMenuClients,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const report = options.report ?? (() => undefined);
  const live = await readLive(line.api);
  const actions = planRichMenus(declared, live);
  // LINE checks every new menu before anything changes: a bad one stops the sync untouched.
  for (const action of actions) {
    if (action.type === "create") await line.api.validateRichMenuObject(objectOf(action.menu));
  }
  if (options.dryRun) {
    for (const action of actions) report(`would ${describe(action, new Map())}`);
    return { actions };
  }

  const created = new Map<string, string>();
  const idOf = (ref: MenuRef) =>
    "richMenuId" in ref ? ref.richMenuId : (created.get(ref.createdFor) as string);
  const relinks = actions.filter((a) => a.type === "relink");
  for (const action of actions) {
    switch (action.type) {
      case "create": {
        const { richMenuId } = await line.api.createRichMenu(objectOf(action.menu));
        created.set(action.menu.alias, richMenuId);
        const { bytes, contentType } = action.menu.image;
        await line.blob.setRichMenuImage(richMenuId, new Blob([bytes], { type: contentType }));
        break;
      }
      case "createAlias":
        await line.api.createRichMenuAlias({
          richMenuAliasId: action.alias,
          richMenuId: idOf(action.target),
        });
        break;
      case "updateAlias":
        await line.api.updateRichMenuAlias(action.alias, { richMenuId: idOf(action.target) });
        break;
      case "setDefault":
        await line.api.setDefaultRichMenu(idOf(action.target));
        break;
      case "cancelDefault":
        await line.api.cancelDefaultRichMenu();
        break;
      case "relink":
        // All relinks go in one batch, run when the first is reached (LINE allows 3 an hour).
        if (action === relinks[0]) await relinkUsers(line.api, relinks, idOf, options);
        break;
      case "deleteAlias":
        await line.api.deleteRichMenuAlias(action.alias);
        break;
      case "delete":
        await line.api.deleteRichMenu(action.richMenuId);
        break;
    }
    report(describe(action, created));
  }
  return { actions };
}

const objectOf = (menu: DeclaredMenu): messagingApi.RichMenuRequest => ({
  ...menu.object,
  name: markedName(menu.object.name, menu.alias, menu.hash),
});

async function readLive(api: messagingApi.MessagingApiClient): Promise<LiveRichMenus> {
  const [{ richmenus }, { aliases }, defaultRichMenuId] = await Promise.all([
    api.getRichMenuList(),
    api.getRichMenuAliasList(),
    api.getDefaultRichMenuId().then(
      (found) => found.richMenuId,
      (error: unknown) => {
        // LINE answers 404 when no default is set.
        if (error instanceof HTTPFetchError && error.status === 404) return undefined;
        throw error;
      },
    ),
  ]);
  return {
    menus: richmenus.map(({ richMenuId, name }) => ({ richMenuId, name })),
    aliases: aliases.map(({ richMenuAliasId, richMenuId }) => ({ richMenuAliasId, richMenuId })),
    defaultRichMenuId,
  };
}

/**
 * Moves the users linked to replaced menus onto their replacements with LINE's rich menu batch
 * (`link` from the old menu to the new), and waits until LINE reports it done: only then may the
 * old menus be deleted, which would unlink their users.
 */
async function relinkUsers(
  api: messagingApi.MessagingApiClient,
  relinks: Array<Extract<RichMenuAction, { type: "relink" }>>,
  idOf: (ref: MenuRef) => string,
  options: SyncOptions,
) {
  const response = await api.richMenuBatchWithHttpInfo({
    operations: relinks.map((r) => ({ type: "link", from: r.from, to: idOf(r.target) })),
  });
  const requestId = response.httpResponse.headers.get("x-line-request-id");
  if (!requestId) throw new RichMenuRelinkError("LINE gave the rich menu batch no request id");
  const deadline = Date.now() + (options.relinkTimeoutMs ?? 5 * 60_000);
  for (;;) {
    const { phase } = await api.getRichMenuBatchProgress(requestId);
    if (phase === "succeeded") return;
    if (phase === "failed") {
      throw new RichMenuRelinkError(
        `LINE's rich menu batch ${requestId} failed; the old menus are kept, run the sync again`,
      );
    }
    if (Date.now() > deadline) {
      throw new RichMenuRelinkError(
        `LINE's rich menu batch ${requestId} is still ${phase}; the old menus are kept, run the sync again`,
      );
    }
    await sleep(1_000);
  }
}

function describe(action: RichMenuAction, created: Map<string, string>): string {
  const ref = (target: MenuRef) =>
    "richMenuId" in target
      ? target.richMenuId
      : (created.get(target.createdFor) ?? `the new ${target.createdFor} menu`);
  switch (action.type) {
    case "create":
      return `create ${action.menu.alias} (${action.menu.object.name})${
        created.has(action.menu.alias) ? `: ${created.get(action.menu.alias)}` : ""
      }, upload ${action.menu.image.path}`;
    case "createAlias":
      return `create alias ${action.alias} → ${ref(action.target)}`;
    case "updateAlias":
      return `point alias ${action.alias} at ${ref(action.target)} (was ${action.from})`;
    case "setDefault":
      return `make ${action.alias} (${ref(action.target)}) the default menu`;
    case "cancelDefault":
      return `cancel the default menu ${action.richMenuId} (no menu is declared default)`;
    case "relink":
      return `move users of ${action.from} to ${ref(action.target)} (${action.alias})`;
    case "deleteAlias":
      return `delete alias ${action.alias} (no longer declared)`;
    case "delete":
      return `delete ${action.richMenuId} (${action.alias}, ${action.reason === "replaced" ? "replaced" : "no longer declared"})`;
  }
}
