// Rich menus as code: a module declares a bot's rich menus (`defineRichMenus`), and
// `linefleet richmenu sync` makes LINE's match it (plan, then create, replace, delete, default).
export {
  type CheckedRichMenu,
  defineRichMenus,
  type RichMenuArea,
  type RichMenuDeclaration,
} from "./declaration.ts";
export { RichMenuRelinkError, RichMenusInvalidError } from "./errors.ts";
export { type LiveRichMenus, type MenuRef, planRichMenus, type RichMenuAction } from "./plan.ts";
export { type DeclaredMenu, readDeclaredMenus } from "./read-declared-menus.ts";
export { type RichMenuClients, type SyncOptions, type SyncResult, syncRichMenus } from "./sync.ts";
