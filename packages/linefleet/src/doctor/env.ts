import { env, lineApiEnv, redisEnv } from "@linefleet/config";
import { z } from "zod";

/** What the doctor itself reads: the same variables as the ingress and workers, all optional. */
export const doctorEnvSchema = z.object({
  LINE_CHANNEL_SECRET: z.string().min(1).optional(),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().min(1).optional(),
  /** The bot user id webhooks carry as `destination`; checked against the token's bot when set. */
  LINE_BOT_USER_ID: z
    .string()
    .regex(/^U[0-9a-f]{32}$/, "a bot user id: U followed by 32 hex digits")
    .optional(),
  LINE_API_BASE_URL: lineApiEnv.LINE_API_BASE_URL,
  REDIS_URL: redisEnv.REDIS_URL,
  ALLOW_EVICTING_REDIS: redisEnv.ALLOW_EVICTING_REDIS,
  /** The ingress's INGRESS_MIN_REPLICAS: Redis should have that many replicas online. */
  INGRESS_MIN_REPLICAS: env.int(0, 0),
  /** The ingress's port and whether it serves HTTPS itself, for the default --ingress-url. */
  PORT: env.port(3000),
  TLS_CERT_FILE: z.string().min(1).optional(),
});
