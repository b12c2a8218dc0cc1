import type { BotIdentity } from "../config.ts";
import { EmulatorError, errorCodes } from "../errors.ts";

/** One emulated LINE channel: its bot, credentials and webhook URL. */
export interface EmulatedChannel {
  /** How tests, the control API and the chat UI name the channel. */
  name: string;
  channelId: string;
  channelSecret: string;
  /** The channel's long-lived token (always valid); issued tokens come from IssuedAccessTokens. */
  channelAccessToken: string | undefined;
  bot: BotIdentity;
  /** Where this channel's webhooks go; the default channel's is the config's `webhookUrl`. */
  webhookUrl: string | undefined;
  /** v2.1 assertion signing keys: key id → public key (PEM or JWK JSON). */
  assertionKeys: Record<string, string>;
}

/** The emulated channels, the first being the default one. */
export class Channels {
  readonly #byName = new Map<string, EmulatedChannel>();

  constructor(channels: readonly EmulatedChannel[]) {
    for (const channel of channels) {
      if (this.#byName.has(channel.name)) {
        throw new EmulatorError(errorCodes.invalidInput, `two channels are named ${channel.name}`);
      }
      this.#byName.set(channel.name, channel);
    }
  }

  get default(): EmulatedChannel {
    const first = this.#byName.values().next().value;
    if (!first) throw new Error("the emulator has no channel");
    return first;
  }

  list(): EmulatedChannel[] {
    return [...this.#byName.values()];
  }

  get(name: string | undefined): EmulatedChannel {
    if (name === undefined) return this.default;
    const channel = this.#byName.get(name);
    if (!channel) {
      throw new EmulatorError(errorCodes.notFound, `no channel named ${name}`, 404);
    }
    return channel;
  }

  byChannelId(channelId: string): EmulatedChannel | undefined {
    return this.list().find((channel) => channel.channelId === channelId);
  }

  byStaticToken(token: string): EmulatedChannel | undefined {
    return this.list().find((channel) => channel.channelAccessToken === token);
  }
}
