import { env, lineChannelEnv, logEnv, redisEnv } from "@linefleet/config";
import { z } from "zod";

export const ingressEnvSchema = z
  .object({
    LINE_CHANNEL_SECRET: lineChannelEnv.LINE_CHANNEL_SECRET,
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
    /** Serve HTTPS with this certificate chain (PEM: the leaf, then its intermediates) ... */
    TLS_CERT_FILE: z.string().min(1).optional(),
    /** ... and this private key (PEM). Set both, or neither for plain HTTP behind a proxy. */
    TLS_KEY_FILE: z.string().min(1).optional(),
  })
  .superRefine((value, context) => {
    for (const [missing, other] of [
      ["TLS_KEY_FILE", "TLS_CERT_FILE"],
      ["TLS_CERT_FILE", "TLS_KEY_FILE"],
    ] as const) {
      if (value[other] && !value[missing]) {
        context.addIssue({
          code: "custom",
          path: [missing],
          message: `set it together with ${other}`,
        });
      }
    }
  });

export type IngressEnv = z.infer<typeof ingressEnvSchema>;
