import { printableUrl } from "@linefleet/config";
import { TimeoutError, withTimeout } from "@linefleet/errors";
import type { RedisConnection } from "@linefleet/store";

/**
 * For the one-shot commands (`dead-letters`, `campaign`): exits 1 naming the URL (without its
 * password) when Redis does not answer in time, rather than retrying forever as ioredis would.
 */
export async function reachRedisOrExit(
  redis: RedisConnection,
  options: { command: string; url: string; deadlineMs: number },
): Promise<void> {
  let lastError = "no answer";
  redis.on("error", (error) => {
    lastError = error.message;
  });
  const reached = await withTimeout(redis.ping(), options.deadlineMs, "reaching Redis").then(
    () => true,
    (error: Error) => {
      if (!(error instanceof TimeoutError)) lastError = error.message;
      return false;
    },
  );
  if (reached) return;
  console.error(
    `${options.command}: cannot reach Redis at ${printableUrl(options.url)} within ${options.deadlineMs / 1000} s (${lastError})`,
  );
  redis.disconnect();
  process.exit(1);
}
