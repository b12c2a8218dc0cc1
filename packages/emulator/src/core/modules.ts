/** Which channel holds a chat's initiative, when a module channel has acquired it. */
export interface ChatControl {
  /** The module channel in control. */
  module: string;
  /** Epoch ms at which control returns to the primary channel; undefined: until released. */
  expiresAt: number | undefined;
}

/**
 * Module channels attached to bots (LINE's module/attach), and chat control they acquired.
 * Channels are named as the emulator names them; a module and its bot are both emulated channels.
 */
export class Modules {
  /** module channel → the bot channels it is attached to, in attach order. */
  readonly #attachments = new Map<string, Set<string>>();
  /** `${bot channel} ${chatId}` → control. */
  readonly #controls = new Map<string, ChatControl>();

  attach(module: string, bot: string) {
    const bots = this.#attachments.get(module) ?? new Set();
    bots.add(bot);
    this.#attachments.set(module, bots);
  }

  detach(module: string, bot: string) {
    this.#attachments.get(module)?.delete(bot);
    for (const [key, control] of this.#controls) {
      if (control.module === module && key.startsWith(`${bot} `)) this.#controls.delete(key);
    }
  }

  botsOf(module: string): string[] {
    return [...(this.#attachments.get(module) ?? [])];
  }

  acquire(bot: string, chatId: string, control: ChatControl) {
    this.#controls.set(`${bot} ${chatId}`, control);
  }

  release(bot: string, chatId: string, module: string) {
    if (this.#controls.get(`${bot} ${chatId}`)?.module === module) {
      this.#controls.delete(`${bot} ${chatId}`);
    }
  }

  /** The module in control of a bot's chat now, if any. */
  controllerOf(bot: string, chatId: string, now: number): string | undefined {
    const control = this.#controls.get(`${bot} ${chatId}`);
    if (!control) return undefined;
    if (control.expiresAt !== undefined && control.expiresAt <= now) {
      this.#controls.delete(`${bot} ${chatId}`);
      return undefined;
    }
    return control.module;
  }

  clear() {
    this.#attachments.clear();
    this.#controls.clear();
  }
}
