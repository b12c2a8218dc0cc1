import { env, lineChannelEnv, logEnv, redisEnv } from "@linefleet/config";
import { z } from "zod";

export const ingressEnvSchema = z.object({
  LINE_CHANNEL_SECRET: lineChannelEnv.LINE_CHANNEL_SECRET,
  ...redisEnv,
  ...logEnv,
  PORT: env.port(3000),
  HOST: z.string().default("0.0.0.0"),
  /** Largest webhook body accepted, in bytes; LINE's own requests are far smaller. */
  WEBHOOK_BODY_LIMIT: env.int(1024 * 1024, 1),
  /** How long the ingress waits on Redis before answering 503; well inside LINE's 2 s. */
  ENQUEUE_TIMEOUT_MS: env.ms(1000),
});

export type IngressEnv = z.infer<typeof ingressEnvSchema>;
