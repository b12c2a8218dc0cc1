import { CAMPAIGNS_QUEUE_NAME, type RedisConnection } from "@linefleet/store";
import { type JobsOptions, Queue } from "bullmq";
import { z } from "zod";

/**
 * The campaign queue's jobs, shared by the producers (the API, the command) and the processor in
 * the workers. Each job's id is derived from its campaign and part, so adding one twice (a resume,
 * a retry, a restarted command) while it waits or runs adds nothing.
 */
export const campaignJobSchema = z.discriminatedUnion("kind", [
  /** Fixes the audience, reads the quota, then queues the sends. */
  z.object({ kind: z.literal("start"), campaignId: z.string() }),
  /** One multicast of up to 500 recipients: chunk n of the recipients list. */
  z.object({ kind: z.literal("chunk"), campaignId: z.string(), chunk: z.number().int().min(0) }),
  /** The one narrowcast or broadcast. */
  z.object({ kind: z.literal("send"), campaignId: z.string() }),
  /** Polls a narrowcast's progress until LINE says it succeeded or failed. */
  z.object({ kind: z.literal("progress"), campaignId: z.string() }),
]);

export type CampaignJob = z.infer<typeof campaignJobSchema>;

/** Recipients per multicast: LINE's maximum. */
export const CHUNK_SIZE = 500;

const jobIdOf = (job: CampaignJob) =>
  job.kind === "chunk" ? `${job.campaignId}-chunk-${job.chunk}` : `${job.campaignId}-${job.kind}`;

/**
 * Completed jobs go at once (the campaign's record is the audit trail, not BullMQ's). A job is
 * failed only by a bug or Redis trouble; the campaign's chunks say what was sent.
 */
const campaignJobOptions = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 60 * 60 },
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000 },
} satisfies JobsOptions;

export function openCampaignQueue(connection: RedisConnection, prefix: string) {
  return new Queue<CampaignJob>(CAMPAIGNS_QUEUE_NAME, { connection, prefix });
}

export type CampaignQueue = ReturnType<typeof openCampaignQueue>;

export async function addCampaignJobs(
  queue: CampaignQueue,
  jobs: CampaignJob[],
  options: JobsOptions = {},
): Promise<void> {
  // In slices: one addBulk per 500 keeps each call's MULTI small.
  for (let start = 0; start < jobs.length; start += 500) {
    await queue.addBulk(
      jobs.slice(start, start + 500).map((data) => ({
        name: data.kind,
        data,
        opts: { ...campaignJobOptions, ...options, jobId: jobIdOf(data) },
      })),
    );
  }
}
