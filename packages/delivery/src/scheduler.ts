import type { CancelReport, Scheduler } from "@linefleet/bot";
import {
  CANCEL_SCHEDULED,
  defineScript,
  type LineEventJob,
  laneOf,
  lineEventsQueue,
  openEventsQueue,
  type RedisConnection,
  type RedisKeys,
  SCHEDULE_ITEM,
  SCHEDULED_STATE_GRACE_SECONDS,
} from "@linefleet/store";
import type { EventSource } from "@linefleet/webhook";
import type { Queue } from "bullmq";
import {
  SCHEDULED_JOB_NAME,
  scheduledItemId,
  scheduledItemKey,
  scheduledJobIdOf,
  scheduledJobOf,
} from "./scheduled-item.ts";

/** The run a scheduler is bound to: the chat its items go to, and the key their ids derive from. */
export interface SchedulingRun {
  channel: string;
  destination: string;
  source: EventSource | undefined;
  /** The running event's (or item's) key: ids are derived from it and the call's position. */
  runKey: string;
}

export interface SchedulerFactoryOptions {
  redis: RedisConnection;
  keys: RedisKeys;
  now?: () => number;
  /** Told of each item scheduled and cancelled, for metrics. */
  observe?: (channel: string, outcome: "scheduled" | "cancelled") => void;
}

/**
 * Makes each run's `Scheduler` (`ctx.pushLater`, `ctx.schedule`, `ctx.cancelLater`). Scheduling
 * records the item as pending (SCHEDULE_ITEM), then adds its delayed job, named by the item's
 * key: a crash between the two leaves a pending item whose job the retried run adds, and an
 * item found running, sent or cancelled is not added again. Two round trips per item.
 */
export function createSchedulerFactory(options: SchedulerFactoryOptions) {
  const { redis, keys } = options;
  const now = options.now ?? Date.now;
  const scheduleItem = defineScript(redis, SCHEDULE_ITEM);
  const cancelItem = defineScript(redis, CANCEL_SCHEDULED);
  const queues = new Map<number, Queue<LineEventJob>>();
  function queueOf(shard: number) {
    let queue = queues.get(shard);
    if (!queue) {
      queue = openEventsQueue(keys.layout.queueName(shard), {
        connection: redis,
        prefix: keys.prefix,
      });
      queues.set(shard, queue);
    }
    return queue;
  }

  function forRun(run: SchedulingRun): Scheduler | undefined {
    const lane = laneOf(run.destination, run.source);
    if (!lane || !run.source) return undefined;
    const source = run.source;
    const shard = keys.layout.shardOfLane(lane);
    let position = 0;
    return {
      async schedule(dueAt, work) {
        const place = position++;
        const id = scheduledItemId(run.runKey, place);
        const itemKey = scheduledItemKey(run.channel, id);
        const k = keys.scheduled(lane, itemKey);
        const scheduledAt = now();
        const ttl =
          Math.ceil(Math.max(0, dueAt - scheduledAt) / 1000) + SCHEDULED_STATE_GRACE_SECONDS;
        const earlier = (await scheduleItem.run(k.state, k.due, itemKey, dueAt, ttl)) as
          | string
          | null;
        if (earlier !== null && earlier !== "pending") return { id };
        const { jobId, data } = scheduledJobOf({
          id,
          position: place,
          channel: run.channel,
          destination: run.destination,
          source,
          dueAt,
          scheduledAt,
          work,
        });
        // An existing job of that id (a retried run) is left as it is.
        await queueOf(shard).add(SCHEDULED_JOB_NAME, data, {
          ...lineEventsQueue.jobOptions,
          jobId,
          delay: Math.max(0, dueAt - scheduledAt),
        });
        if (earlier === null) options.observe?.(run.channel, "scheduled");
        return { id };
      },
      async cancel(id): Promise<CancelReport> {
        const itemKey = scheduledItemKey(run.channel, id);
        const k = keys.scheduled(lane, itemKey);
        const status = (await cancelItem.run(k.state, k.due, itemKey)) as
          | CancelReport["status"]
          | "was_cancelled";
        // Cancelled before (a retried event cancelling again): the same answer, counted once.
        if (status === "was_cancelled") return { status: "cancelled" };
        if (status === "cancelled") {
          options.observe?.(run.channel, "cancelled");
          // Frees its job now rather than at its due time, when it would find itself cancelled.
          // A job just taken by a worker is locked and stays: it does nothing.
          await queueOf(shard)
            .remove(scheduledJobIdOf(run.channel, id))
            .catch(() => 0);
        }
        return { status };
      },
    };
  }

  return {
    forRun,
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}

export type SchedulerFactory = ReturnType<typeof createSchedulerFactory>;
