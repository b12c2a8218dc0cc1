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
    if (this.defaultRichMenuId === richMenuId) this.defaultRichMenuId = undefined;
  }

  /** The menu a user sees in the chat: their own link, else the default; undefined for none. */
  shownTo(userId: string): RichMenu | undefined {
    const id = this.userLinks.get(userId) ?? this.defaultRichMenuId;
    return id === undefined ? undefined : this.menus.get(id);
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
