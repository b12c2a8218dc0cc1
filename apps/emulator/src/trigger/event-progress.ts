import {
  createProducerConnection,
  hasDedupeMark,
  jobIdFor,
  type RedisConnection,
  recordedKeys,
} from "@linefleet/store";

export type EventProgress =
  /** Not queued yet (the ingress may still be answering, or have spooled it), or being handled. */
  | { state: "pending" }
  /** The worker handled it: every send it made is done. */
  | { state: "done" }
  /** It failed for good and is now a dead letter. */
  | { state: "failed"; reason: string };

/**
 * Where a linefleet stack's workers stand with one event, read from its Redis: the terminal
 * signal for `pnpm trigger --wait`, which sees LINE's side only (the emulator) and would otherwise
 * not know whether a quiet bot is done or about to push.
 *
 * An event the ingress accepted has a dedupe mark for the whole dedupe window and a job until the
 * job completes; the job is deleted on completion, only after the handler and its sends returned,
 * and kept with `failedReason` when it fails for good (see @linefleet/store's catalog). So: a mark
 * and no job is done; a finished job with a reason is failed; anything else is still pending.
 */
export function createEventProgress(redisUrl: string, prefix: string) {
  // A short-lived reader: commands wait for the connection (offline queue on), but fail after one
  // retry instead of hanging when Redis is away.
  const redis: RedisConnection = createProducerConnection(redisUrl, { enableOfflineQueue: true });
  // Each failed command rejects with the reason, which the trigger reports; the connection's own
  // error events would only repeat it.
  redis.on("error", () => {});

  return {
    /**
     * `eventKey`: the event's key in linefleet (eventKeyOf: its channel and webhookEventId);
     * `timestamp`: the event's, which its dedupe mark is kept by.
     */
    async of(eventKey: string, timestamp: number): Promise<EventProgress> {
      // The shards the deployment was created with, recorded by its first process.
      const keys = await recordedKeys(redis, prefix);
      for (const shard of keys.layout.shards) {
        const job = keys.queueKey(shard, jobIdFor(eventKey));
        const [exists, [finishedOn, failedReason]] = await Promise.all([
          redis.exists(job),
          redis.hmget(job, "finishedOn", "failedReason"),
        ]);
        if (exists === 1) {
          return finishedOn && failedReason
            ? { state: "failed", reason: failedReason }
            : { state: "pending" };
        }
      }
      return (await hasDedupeMark(redis, keys, eventKey, timestamp))
        ? { state: "done" }
        : { state: "pending" };
    },
    close: () => redis.disconnect(),
  };
}

export type EventProgressReader = ReturnType<typeof createEventProgress>;
