import type { Job } from "bullmq";
import type { EventState } from "./event-state.ts";

/**
 * Puts a job whose event is not at the head of its lane back as delayed (without using an
 * attempt) until `until`, then marks it waiting — in that order: the event ahead wakes a waiting
 * event as it leaves, and a wake sent before the job is delayed would find nothing to wake. If the
 * event ahead left in between, the mark finds the turn has come and the job wakes itself.
 */
export async function stepAside(
  job: Job,
  token: string | undefined,
  {
    state,
    lane,
    eventKey,
    until,
    now,
  }: { state: EventState; lane: string; eventKey: string; until: number; now: number },
): Promise<void> {
  await job.moveToDelayed(until, token);
  const turnCame = await state.stepAside(lane, eventKey, until - now);
  if (turnCame) await job.promote().catch(() => {});
}
