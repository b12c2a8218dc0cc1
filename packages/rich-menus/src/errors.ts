import type { ErrorCode } from "@linefleet/errors";

/** A rich-menus module that cannot be synced as written; `problems` names each, with its place. */
export class RichMenusInvalidError extends Error {
  readonly code = "LF_RICH_MENUS_INVALID" satisfies ErrorCode;
  readonly problems: readonly string[];

  constructor(module: string, problems: readonly string[]) {
    super(`${module} declares invalid rich menus:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RichMenusInvalidError";
    this.problems = problems;
  }
}

/**
 * LINE did not finish moving the users of replaced menus to their new menus; the old menus are
 * kept (nobody loses a menu), and the next sync tries again.
 */
export class RichMenuRelinkError extends Error {
  readonly code = "LF_RICH_MENU_RELINK_FAILED" satisfies ErrorCode;
}
