import { createHash } from "node:crypto";
import { env, logEnv } from "@linefleet/config";
import { z } from "zod";

/**
 * Credentials used when none are set. The emulator is a local development tool, so it starts
 * without configuration; a bot pointed at it must use these same values.
 */
export const localCredentials = {
  channelSecret: "emulator-channel-secret",
  channelAccessToken: "emulator-channel-access-token",
} as const;

export const emulatorEnvSchema = z.object({
  LINE_CHANNEL_SECRET: z.string().min(1).optional(),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().min(1).optional(),
  EMULATOR_PORT: env.port(8090),
  /** Loopback by default: the emulator accepts any event from anyone who can reach it. */
  EMULATOR_HOST: z.string().default("127.0.0.1"),
  EMULATOR_WEBHOOK_URL: env.url("http://127.0.0.1:3000/webhook"),
  /**
   * Host names (comma-separated) the emulator answers to besides `localhost`, `127.0.0.1`,
   * `[::1]` and EMULATOR_HOST, e.g. `emulator` in compose. Any other `Host` is refused (DNS rebinding).
   */
  EMULATOR_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  /** Listen beyond loopback with a real channel secret: it signs webhooks for whoever reaches it. */
  EMULATOR_ALLOW_REMOTE: env.flag(false),
  ...logEnv,
});

/** The bot's user id, derived from the secret so it stays the same across restarts. */
export function botUserIdFor(channelSecret: string): string {
  return `U${createHash("sha256").update(channelSecret).digest("hex").slice(0, 32)}`;
}
