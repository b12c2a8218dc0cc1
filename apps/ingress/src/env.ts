import { env, logEnv, redisEnv } from "@linefleet/config";
import { z } from "zod";

/** The channels themselves (CHANNELS_FILE, or LINE_CHANNEL_SECRET) are read by @linefleet/channels. */
export const ingressEnvSchema = z.object({
  ...redisEnv,
  ...logEnv,
  PORT: env.port(3000),
  HOST: z.string().default("0.0.0.0"),
  /** Largest webhook body accepted, in bytes; LINE's own requests are far smaller. */
  WEBHOOK_BODY_LIMIT: env.int(1024 * 1024, 1),
  /** How long the ingress waits on Redis before answering 503; well inside LINE's 2 s. */
  ENQUEUE_TIMEOUT_MS: env.ms(1000),
  /**
   * How long SIGTERM waits for in-flight webhooks before cutting the connections still open. A
   * webhook is answered within ENQUEUE_TIMEOUT_MS, and LINE stops waiting after 2 s anyway.
   */
  SHUTDOWN_GRACE_MS: env.ms(2_000),
});

export type IngressEnv = z.infer<typeof ingressEnvSchema>;
