/** A LIFF app as LINE's LIFF server API stores it. */
export interface LiffApp {
  liffId: string;
  view: { type: "compact" | "tall" | "full"; url: string; moduleMode?: boolean };
  description?: string;
  features?: { ble?: boolean; qrCode?: boolean };
  permanentLinkPattern?: string;
  scope?: string[];
  botPrompt?: "normal" | "aggressive" | "none";
}

/** LIFF apps per channel, in the order they were added. */
export class LiffApps {
  readonly #byChannel = new Map<string, Map<string, LiffApp>>();

  of(channel: string): Map<string, LiffApp> {
    let apps = this.#byChannel.get(channel);
    if (!apps) {
      apps = new Map();
      this.#byChannel.set(channel, apps);
    }
    return apps;
  }

  clear() {
    this.#byChannel.clear();
  }
}
