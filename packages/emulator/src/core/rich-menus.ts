import { randomBytes } from "node:crypto";

/** A rich menu as LINE stores it: the request's object plus its id and, once uploaded, its image. */
export interface RichMenu {
  richMenuId: string;
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: unknown[];
  image?: { bytes: Buffer; contentType: string };
}

export interface RichMenuBatch {
  requestId: string;
  acceptedTime: string;
  completedTime: string;
  phase: "succeeded" | "failed";
}

/** One channel's rich menus: the menus, the default, per-user links, aliases and batch jobs. */
export class ChannelRichMenus {
  readonly menus = new Map<string, RichMenu>();
  /** userId → richMenuId, set by link and bulk link; wins over the default in the chat. */
  readonly userLinks = new Map<string, string>();
  /**
   * userId → richMenuId a `richmenuswitch` area showed the user. It wins until the bot links or
   * unlinks a menu for that user, as the LINE app keeps a switched menu until then.
   */
  readonly switched = new Map<string, string>();
  /** aliasId → richMenuId. */
  readonly aliases = new Map<string, string>();
  readonly batches = new Map<string, RichMenuBatch>();
  defaultRichMenuId: string | undefined;

  create(menu: Omit<RichMenu, "richMenuId" | "image">): RichMenu {
    const created = { richMenuId: `richmenu-${randomBytes(16).toString("hex")}`, ...menu };
    this.menus.set(created.richMenuId, created);
    return created;
  }

  /** Deleting a menu unlinks it from its users and clears it as the default, as at LINE. */
  delete(richMenuId: string) {
    this.menus.delete(richMenuId);
    for (const [userId, linked] of this.userLinks) {
      if (linked === richMenuId) this.userLinks.delete(userId);
    }
    for (const [userId, shown] of this.switched) {
      if (shown === richMenuId) this.switched.delete(userId);
    }
    if (this.defaultRichMenuId === richMenuId) this.defaultRichMenuId = undefined;
  }

  /** Sets or clears a user's own menu (link, unlink, bulk, batch): it ends a switch. */
  setUserLink(userId: string, richMenuId: string | undefined) {
    if (richMenuId === undefined) this.userLinks.delete(userId);
    else this.userLinks.set(userId, richMenuId);
    this.switched.delete(userId);
  }

  /**
   * A `richmenuswitch` tap: shows the user the menu `aliasId` points at, and says how it went as
   * LINE's postback does (`params.status`).
   */
  switchTo(
    userId: string,
    aliasId: string,
  ): "SUCCESS" | "RICHMENU_ALIAS_ID_NOTFOUND" | "RICHMENU_NOTFOUND" {
    const richMenuId = this.aliases.get(aliasId);
    if (richMenuId === undefined) return "RICHMENU_ALIAS_ID_NOTFOUND";
    if (!this.menus.get(richMenuId)?.image) return "RICHMENU_NOTFOUND";
    this.switched.set(userId, richMenuId);
    return "SUCCESS";
  }

  /**
   * The menu a user sees in the chat, and why: the one a switch showed, else their own link, else
   * the default; undefined for none.
   */
  shownTo(userId: string): { menu: RichMenu; source: "switch" | "user" | "default" } | undefined {
    const switched = this.menus.get(this.switched.get(userId) ?? "");
    if (switched) return { menu: switched, source: "switch" };
    const linked = this.menus.get(this.userLinks.get(userId) ?? "");
    if (linked) return { menu: linked, source: "user" };
    const byDefault = this.menus.get(this.defaultRichMenuId ?? "");
    return byDefault && { menu: byDefault, source: "default" };
  }
}

/** Every channel's rich menus, by channel name. */
export class RichMenus {
  readonly #byChannel = new Map<string, ChannelRichMenus>();

  of(channel: string): ChannelRichMenus {
    let menus = this.#byChannel.get(channel);
    if (!menus) {
      menus = new ChannelRichMenus();
      this.#byChannel.set(channel, menus);
    }
    return menus;
  }

  clear() {
    this.#byChannel.clear();
  }
}
