import { ConfigError, localDev } from "@linefleet/config";
import { localCredentials } from "./env.ts";

/** The secrets that are public anyway: the emulator's own default and the dev stack's. */
const developmentSecrets = new Set<string>([
  localCredentials.channelSecret,
  localDev.channelSecret,
]);

/** Loopback addresses and names: only this machine reaches an emulator listening there. */
export function isLoopback(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * Refuses to expose a real channel secret: the emulator signs a webhook for anyone who asks its
 * control API, so listening beyond loopback with a real secret would make it a signing service
 * for that channel. The development secrets are public, so they may go anywhere; a real one needs
 * EMULATOR_ALLOW_REMOTE=true. `secretVariable` is the variable the secret came from.
 */
export function checkRemoteExposure(options: {
  host: string;
  secrets: readonly string[];
  secretVariable: string;
  allowRemote: boolean;
}): void {
  if (options.allowRemote || isLoopback(options.host)) return;
  if (options.secrets.every((secret) => developmentSecrets.has(secret))) return;
  throw new ConfigError([
    `EMULATOR_HOST is ${options.host}, not a loopback address, and ${options.secretVariable} holds a real-looking channel secret: ` +
      "anyone who reaches the emulator could have it sign webhooks with that secret. " +
      `Listen on 127.0.0.1, use a development secret (unset ${options.secretVariable}), ` +
      "or set EMULATOR_ALLOW_REMOTE=true if that is what you want.",
  ]);
}
