import { eventKeyOf, jobIdFor, type LineEventJob } from "@linefleet/store";
import type { Job } from "bullmq";

/**
 * The event's key in Redis (its lane entry, its ledger): the ingress names the job by it
 * (eventKeyOf, its channel and webhookEventId). Read from the job id rather than recomputed, so a
 * job queued before the channel was part of the key keeps matching its lane entry.
 */
export const eventKeyOfJob = (job: Job<LineEventJob>) =>
  job.id ?? jobIdFor(eventKeyOf(job.data.channel ?? "default", job.data.event.webhookEventId));
