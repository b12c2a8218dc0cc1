import type { Platform } from "../core/platform.ts";
import { newNonce } from "../ids.ts";
import type { EventInput } from "./event-input.ts";

/**
 * The `link` of an accountLink event: `ok` when the user came with a link token the channel's bot
 * issued for them, unused and at most ten minutes old (it is then used up); `failed` otherwise,
 * as LINE reports a link that could not be made. Without a named token the user's newest usable
 * one is taken, as the bot's login page would pass it on.
 */
export function accountLink(platform: Platform, input: EventInput, userId: string, now: number) {
  const owner = { channel: platform.channels.get(input.channel).name, userId };
  const token = input.linkToken ?? platform.linkTokens.newestFor(owner, now);
  const ok = token !== undefined && platform.linkTokens.consume(token, owner, now);
  return { result: ok ? ("ok" as const) : ("failed" as const), nonce: input.nonce ?? newNonce() };
}
