import { webhookEventSchema } from "@linefleet/webhook";
import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { DEFAULT_DEDUPE_TTL_MS } from "./redis-model/keys.ts";

/**
 * The one job type that flows from the ingress (producer) to the workers (consumers).
 * Both sides import it from here, so a payload change is a type error on both.
 */
export const lineEventJobSchema = z.object({
  /**
   * The name of the channel the webhook came to (CHANNELS_FILE's `name`; "default" for the
   * single-channel variables, and for jobs queued before channels had names).
   */
  channel: z.string().default("default"),
  /** The bot's user ID the webhook was sent to (each channel has its own bot); keys the lanes. */
  destination: z.string(),
  event: webhookEventSchema,
  /** When the ingress accepted the request (epoch ms). */
  receivedAt: z.number(),
  /** Set when a dead letter is replayed: answers then go by push only (the reply token is long dead). */
  replay: z.boolean().optional(),
});

export type LineEventJob = z.infer<typeof lineEventJobSchema>;

/**
 * The job options of the events queue. Its name (one per shard) comes from the layout:
 * `redisKeys(prefix, { shards }).layout.queueName(shard)`.
 */
export const lineEventsQueue = {
  /** How long a webhookEventId is remembered by default (DEDUPE_TTL_MS). */
  dedupeTtlMs: DEFAULT_DEDUPE_TTL_MS,
  /**
   * BullMQ's events stream (`<queue>:events`), given to every `Queue` opened on the events queue:
   * each one writes its `maxLen` into the queue's meta, which BullMQ's scripts trim by. Nothing in
   * linefleet reads the stream (no `QueueEvents`; the dashboard reads the job sets), and BullMQ
   * cannot leave it unwritten, so it is kept short: `MAXLEN ~ 100` keeps 100 to 200 entries (whole
   * nodes of `stream-node-max-entries`, 100) where BullMQ's default kept 10,000 (≈ 690 KB per
   * shard). Not 0: a stream trimmed to nothing allocates and frees a node on every append, ≈ 3,500
   * more Redis instructions per entry (callgrind, bench/README.md), four entries per event.
   */
  streams: { events: { maxLen: 100 } },
  jobOptions: {
    attempts: 8,
    // "linefleet" names the workers' own strategy: Retry-After when asked, else jittered exponential.
    backoff: { type: "linefleet", delay: 500 },
    // A completed job is deleted at once: no completed set to write and trim on every completion.
    // The dedupe mark (redis-model/dedupe-marks.ts, 24 h TTL) is ours, not BullMQ's, and outlives
    // the job, so a later redelivery is still refused. Tested in tests/pipeline.int.test.ts and
    // packages/store/test/dedupe-marks.int.test.ts.
    removeOnComplete: true,
    // Failed jobs are the dead letters: keep them a week for inspection and replay.
    removeOnFail: { age: 7 * 24 * 60 * 60 },
  } satisfies JobsOptions,
} as const;
