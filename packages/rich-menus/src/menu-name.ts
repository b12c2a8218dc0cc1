/**
 * A menu `richmenu sync` created carries its alias and content hash at the end of its name:
 * `Main menu [linefleet main 0123456789abcdef]`. LINE keeps the name with the menu, so the sync
 * needs no store of its own to know which menus it made and whether each is current, and never
 * touches a menu made by other means. LINE shows the name to the account's managers only.
 */
const MARKED = / \[linefleet ([a-z0-9_-]{1,32}) ([0-9a-f]{16})\]$/;

/** LINE's limit on a rich menu's name. */
export const MAX_NAME_LENGTH = 300;

export function markedName(name: string, alias: string, hash: string): string {
  return `${name} [linefleet ${alias} ${hash}]`;
}

/** The alias and hash of a menu the sync created; undefined for any other menu. */
export function readMarker(name: string): { alias: string; hash: string } | undefined {
  const match = MARKED.exec(name);
  return match?.[1] && match[2] ? { alias: match[1], hash: match[2] } : undefined;
}
