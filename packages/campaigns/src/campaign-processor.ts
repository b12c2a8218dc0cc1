import type { messagingApi } from "@line/bot-sdk";
import { type LineClient, retryKeyFor, toLineApiError } from "@linefleet/line-client";
import type { Logger } from "@linefleet/log";
import {
  CAMPAIGN_CHUNK_BEGIN,
  CAMPAIGN_CHUNK_SETTLE,
  CAMPAIGN_RECORD_TTL_SECONDS,
  CAMPAIGN_TRANSITION,
  CAMPAIGNS_QUEUE_NAME,
  campaignKeys,
  defineScript,
  type RedisConnection,
  type RedisKeys,
} from "@linefleet/store";
import { DelayedError, type Job, Worker } from "bullmq";
import {
  addCampaignJobs,
  type CampaignJob,
  CHUNK_SIZE,
  campaignJobSchema,
  openCampaignQueue,
} from "./campaign-jobs.ts";
import { type CampaignObserver, noCampaignObserver } from "./campaign-observer.ts";
import { type CampaignRateLimits, createCampaignPacing } from "./campaign-pacing.ts";
import type { CampaignKind } from "./campaign-schema.ts";
import type { ChunkRecord, QuotaReading } from "./campaign-status.ts";

export interface CampaignProcessorOptions {
  connection: RedisConnection;
  keys: RedisKeys;
  /** The LINE client of a channel by name (the only channel when the campaign names none). */
  clientOf(channel: string | undefined): Promise<{ name: string; client: LineClient }>;
  logger: Logger;
  limits: CampaignRateLimits;
  /** Sends one worker process makes at once. */
  concurrency: number;
  /** How long a job's lock lasts; a killed worker's sends are taken over after about this. */
  lockDurationMs: number;
  /** A LINE call that takes longer has an unknown outcome (retried with the same retry key). */
  timeoutMs: number;
  /** How often a narrowcast's progress is asked for. */
  progressIntervalMs?: number;
  observe?: CampaignObserver;
}

/** Tries of one send whose outcome stays unknown (5xx, timeout) before it is recorded as failed. */
const maxUnknownAttempts = 8;
/** A wait for a permit shorter than this is slept in the job; a longer one puts the job aside. */
const sleepUnderMs = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown inside a job to put it aside until `until` (it keeps its place in the campaign). */
class PutAside extends Error {
  readonly until: number;
  constructor(until: number) {
    super("put aside");
    this.until = until;
  }
}

/**
 * The workers' side of campaigns: a BullMQ worker on the campaign queue that fixes a campaign's
 * audience, reads the quota, then sends — multicast chunks of up to 500 or one narrowcast or
 * broadcast — each under the fleet-wide limit of its endpoint, with a retry key derived from the
 * campaign and chunk and recorded before the call, and its outcome recorded once after it.
 * A worker killed at any point leaves a job whose lock expires; another worker takes it over,
 * re-sends with the same key, and LINE's 409 says it was accepted.
 */
export function createCampaignProcessor(options: CampaignProcessorOptions) {
  const { connection: redis, logger } = options;
  const observe = options.observe ?? noCampaignObserver;
  const keys = campaignKeys(options.keys.prefix);
  const queue = openCampaignQueue(redis, options.keys.prefix);
  queue.on("error", (error) => logger.warn({ reason: error.message }, "campaign queue error"));
  const begin = defineScript(redis, CAMPAIGN_CHUNK_BEGIN);
  const settleScript = defineScript(redis, CAMPAIGN_CHUNK_SETTLE);
  const transition = defineScript(redis, CAMPAIGN_TRANSITION);
  const pacing = createCampaignPacing(redis, options.keys, options.limits);
  const progressIntervalMs = options.progressIntervalMs ?? 2_000;
  const keysOf = (id: string) => [keys.record(id), keys.chunks(id), keys.recipients(id)];

  async function move(id: string, to: string, ...from: string[]) {
    const was = String(
      await transition.run(...keysOf(id), to, Date.now(), CAMPAIGN_RECORD_TTL_SECONDS, ...from),
    );
    const moved = from.includes(was);
    if (moved && ["done", "stopped", "refused", "failed"].includes(to)) observe.ended(to);
    return moved;
  }

  async function settle(
    id: string,
    channel: string,
    chunk: number,
    outcome: "sent" | "failed" | "not_sent",
    record: ChunkRecord,
  ) {
    const recipients = record.recipients ?? 0;
    const settledNow = Number(
      await settleScript.run(
        ...keysOf(id),
        chunk,
        outcome,
        JSON.stringify({ ...record, state: outcome, at: Date.now() }),
        recipients,
        Date.now(),
        CAMPAIGN_RECORD_TTL_SECONDS,
      ),
    );
    if (settledNow === 0) return;
    observe.recipients(channel, outcome, recipients);
    if (settledNow === 2) {
      const state = (await redis.hget(keys.record(id), "state")) ?? "done";
      observe.ended(state);
      logger.info({ campaign: id, state }, "campaign ended");
    }
  }

  /** Waits for a permit of the endpoint's fleet-wide limit, or puts the job aside for a long wait. */
  async function permit(id: string, channel: string, kind: CampaignKind) {
    const limit = pacing(channel, kind);
    for (;;) {
      const waitMs = await limit.tryAcquire();
      if (waitMs <= 0) return;
      observe.rateLimitWait(channel, kind, "fleet");
      if (waitMs >= sleepUnderMs) {
        await redis.hset(keys.record(id), "waitingUntil", String(Date.now() + waitMs));
        throw new PutAside(Date.now() + waitMs);
      }
      await sleep(waitMs);
    }
  }

  /** Reads the quota and decides; false when the campaign was refused. */
  async function checkQuota(id: string, client: LineClient, total: number, messages: number) {
    const recorded = await redis.hget(keys.record(id), "quota");
    const reading: QuotaReading = recorded
      ? JSON.parse(recorded)
      : await (async () => {
          const [quota, consumption] = await Promise.all([
            client.api.getMessageQuota(),
            client.api.getMessageQuotaConsumption(),
          ]);
          const kind = await redis.hget(keys.record(id), "kind");
          const reading: QuotaReading = { type: quota.type, used: consumption.totalUsage };
          if (quota.type === "limited" && quota.value !== undefined) {
            reading.value = quota.value;
            reading.remaining = Math.max(0, quota.value - consumption.totalUsage);
          }
          // Multicast knows its recipients; LINE alone knows how many a narrowcast or broadcast reaches.
          if (kind === "multicast") reading.needed = total * messages;
          await redis.hset(keys.record(id), "quota", JSON.stringify(reading));
          return reading;
        })();
    const allowOver = (await redis.hget(keys.record(id), "allowOverQuota")) === "1";
    if (reading.remaining === undefined || allowOver) return true;
    const over =
      reading.needed !== undefined ? reading.needed > reading.remaining : reading.remaining <= 0;
    if (!over) return true;
    const reason =
      reading.needed !== undefined
        ? `over the monthly quota: needs ${reading.needed} messages, ${reading.remaining} left (quota ${reading.value}, used ${reading.used}); send with --allow-over-quota to send until LINE stops it`
        : `the monthly quota is used up (quota ${reading.value}, used ${reading.used}); send with --allow-over-quota to try anyway`;
    await redis.hset(keys.record(id), "reason", reason);
    await move(id, "refused", "preparing", "sending");
    logger.warn({ campaign: id, quota: reading }, "campaign refused: over the monthly quota");
    return false;
  }

  /** Pages GET /v2/bot/followers/ids into the recipients list, once, before anything is sent. */
  async function fixFollowers(id: string, client: LineClient) {
    await redis.del(keys.recipients(id));
    const seen = new Set<string>();
    let start: string | undefined;
    do {
      const page = await client.api.getFollowers(start, 1000);
      const fresh = page.userIds.filter((userId) => !seen.has(userId));
      for (const userId of fresh) seen.add(userId);
      if (fresh.length > 0) await redis.rpush(keys.recipients(id), ...fresh);
      start = page.next;
    } while (start);
    await redis.hset(keys.record(id), { total: String(seen.size), audienceReady: "1" });
  }

  async function start(id: string) {
    const record = await redis.hgetall(keys.record(id));
    if (record.state === "scheduled") await move(id, "preparing", "scheduled");
    else if (record.state !== "preparing" && record.state !== "sending") return;
    const kind = record.kind as CampaignKind;
    let channel: string;
    let client: LineClient;
    try {
      ({ name: channel, client } = await options.clientOf(record.channel || undefined));
    } catch (error) {
      await redis.hset(keys.record(id), "reason", (error as Error).message);
      await move(id, "failed", "preparing", "sending");
      return;
    }
    // Prepared once: the audience fixed and the quota read before the first send. A campaign
    // paused (or resumed) before that is still prepared here, whatever its state says.
    if (record.startedAt === undefined) {
      if (kind === "multicast" && record.audienceReady !== "1") await fixFollowers(id, client);
      const total = Number(await redis.hget(keys.record(id), "total"));
      const messages = (JSON.parse(record.messages ?? "[]") as unknown[]).length;
      if (!(await checkQuota(id, client, total, messages))) return;
      await redis.hsetnx(keys.record(id), "startedAt", String(Date.now()));
      if (record.state !== "sending" && !(await move(id, "sending", "preparing"))) return;
      logger.info({ campaign: id, kind, total, channel }, "campaign sending");
    }
    const total = Number(await redis.hget(keys.record(id), "total"));
    if (kind !== "multicast") {
      const requestId = await redis.hget(keys.record(id), "requestId");
      const job: CampaignJob = requestId
        ? { kind: "progress", campaignId: id }
        : { kind: "send", campaignId: id };
      await addCampaignJobs(queue, [job]);
      return;
    }
    if (total === 0) {
      await move(id, "done", "sending");
      return;
    }
    const settled = await redis.hgetall(keys.chunks(id));
    const jobs: CampaignJob[] = [];
    for (let chunk = 0; chunk * CHUNK_SIZE < total; chunk++) {
      const recorded = settled[chunk];
      if (recorded && (JSON.parse(recorded) as ChunkRecord).state !== "sending") continue;
      jobs.push({ kind: "chunk", campaignId: id, chunk });
    }
    await addCampaignJobs(queue, jobs);
  }

  /** One call to LINE under the campaign's retry key; what happened, as the chunk records it. */
  async function sendOnce(
    id: string,
    channel: string,
    kind: CampaignKind,
    call: () => Promise<{ requestId?: string | undefined; status: number }>,
  ): Promise<{
    outcome: "sent" | "failed" | "not_sent" | "retry";
    requestId?: string;
    error?: string;
    retryAt?: number;
  }> {
    try {
      const { requestId, status } = await call();
      observe.lineCall(channel, kind, String(status));
      return { outcome: "sent", ...(requestId ? { requestId } : {}) };
    } catch (thrown) {
      const error = toLineApiError(thrown);
      observe.lineCall(channel, kind, String(error.status ?? error.code));
      if (error.code === "retry_key_accepted") {
        const headers = (error.cause as { headers?: Headers } | undefined)?.headers;
        const accepted = headers?.get("x-line-accepted-request-id") ?? undefined;
        return { outcome: "sent", ...(accepted ? { requestId: accepted } : {}) };
      }
      if (error.code === "monthly_limit") {
        await redis.hset(keys.record(id), "stopReason", "monthly_limit");
        return { outcome: "not_sent", error: error.message };
      }
      if (error.code === "rate_limited") {
        observe.rateLimitWait(channel, kind, "line");
        const waitMs = error.retryAfterMs ?? (kind === "multicast" ? 1_000 : 60_000);
        await redis.hset(keys.record(id), "waitingUntil", String(Date.now() + waitMs));
        return { outcome: "retry", retryAt: Date.now() + waitMs, error: error.message };
      }
      if (error.retryable) return { outcome: "retry", error: error.message };
      return { outcome: "failed", error: error.message };
    }
  }

  /** Records the chunk as being sent; undefined when it must not be sent (settled, paused, …). */
  async function beginChunk(id: string, channel: string, chunk: number, recipients: number) {
    const retryKey = retryKeyFor(`campaign:${id}`, chunk);
    const answer = String(
      await begin.run(keys.record(id), keys.chunks(id), chunk, retryKey, Date.now()),
    );
    if (answer === "stop") {
      await settle(id, channel, chunk, "not_sent", {
        state: "not_sent",
        recipients,
        error: "not sent: LINE's monthly limit was reached",
      });
      return undefined;
    }
    if (answer !== "go") return undefined;
    const chunkRecord = JSON.parse(
      (await redis.hget(keys.chunks(id), String(chunk))) ?? "{}",
    ) as ChunkRecord;
    return { retryKey, attempts: chunkRecord.attempts ?? 1 };
  }

  const backoffMs = (attempts: number) => Math.min(60_000, 500 * 2 ** attempts);

  async function sendChunk(id: string, chunk: number) {
    const record = await redis.hgetall(keys.record(id));
    if (record.state !== "sending") return;
    const { name: channel, client } = await options.clientOf(record.channel || undefined);
    const to = await redis.lrange(
      keys.recipients(id),
      chunk * CHUNK_SIZE,
      chunk * CHUNK_SIZE + CHUNK_SIZE - 1,
    );
    if (to.length === 0) return;
    const settledBefore = await redis.hget(keys.chunks(id), String(chunk));
    if (settledBefore && (JSON.parse(settledBefore) as ChunkRecord).state !== "sending") return;
    await permit(id, channel, "multicast");
    const begun = await beginChunk(id, channel, chunk, to.length);
    if (!begun) return;
    const request: messagingApi.MulticastRequest = {
      to,
      messages: JSON.parse(record.messages ?? "[]"),
      ...(record.notificationDisabled === "1" ? { notificationDisabled: true } : {}),
    };
    const result = await sendOnce(id, channel, "multicast", async () => {
      const answer = await withDeadline(
        client.api.multicastWithHttpInfo(request, begun.retryKey),
        options.timeoutMs,
      );
      return {
        status: answer.httpResponse.status,
        requestId: answer.httpResponse.headers.get("x-line-request-id") ?? undefined,
      };
    });
    const base: ChunkRecord = {
      state: "sending",
      retryKey: begun.retryKey,
      attempts: begun.attempts,
      recipients: to.length,
      ...(result.requestId ? { requestId: result.requestId } : {}),
      ...(result.error ? { error: result.error } : {}),
    };
    if (result.outcome === "retry") {
      if (result.retryAt === undefined && begun.attempts >= maxUnknownAttempts) {
        await settle(id, channel, chunk, "failed", {
          ...base,
          error: `${result.error}; outcome unknown after ${begun.attempts} tries (a retry within 24 h is answered 409 if LINE had accepted it)`,
        });
        return;
      }
      throw new PutAside(result.retryAt ?? Date.now() + backoffMs(begun.attempts));
    }
    await settle(id, channel, chunk, result.outcome, base);
  }

  async function sendWhole(id: string) {
    const record = await redis.hgetall(keys.record(id));
    if (record.state !== "sending" || record.requestId) return;
    const kind = record.kind as "narrowcast" | "broadcast";
    const { name: channel, client } = await options.clientOf(record.channel || undefined);
    await permit(id, channel, kind);
    const begun = await beginChunk(id, channel, 0, 0);
    if (!begun) return;
    const messages = JSON.parse(record.messages ?? "[]");
    const notificationDisabled =
      record.notificationDisabled === "1" ? { notificationDisabled: true } : {};
    const audience = JSON.parse(record.audience ?? "{}") as {
      narrowcast?: Record<string, unknown>;
    };
    const result = await sendOnce(id, channel, kind, async () => {
      const answer =
        kind === "narrowcast"
          ? await withDeadline(
              client.api.narrowcastWithHttpInfo(
                {
                  messages,
                  ...notificationDisabled,
                  ...audience.narrowcast,
                } as messagingApi.NarrowcastRequest,
                begun.retryKey,
              ),
              options.timeoutMs,
            )
          : await withDeadline(
              client.api.broadcastWithHttpInfo(
                { messages, ...notificationDisabled },
                begun.retryKey,
              ),
              options.timeoutMs,
            );
      return {
        status: answer.httpResponse.status,
        requestId: answer.httpResponse.headers.get("x-line-request-id") ?? undefined,
      };
    });
    const base: ChunkRecord = {
      state: "sending",
      retryKey: begun.retryKey,
      attempts: begun.attempts,
      ...(result.requestId ? { requestId: result.requestId } : {}),
      ...(result.error ? { error: result.error } : {}),
    };
    if (result.outcome === "retry") {
      if (result.retryAt === undefined && begun.attempts >= maxUnknownAttempts) {
        await settle(id, channel, 0, "failed", base);
        return;
      }
      throw new PutAside(result.retryAt ?? Date.now() + backoffMs(begun.attempts));
    }
    if (result.requestId) await redis.hset(keys.record(id), "requestId", result.requestId);
    if (result.outcome === "sent" && kind === "narrowcast" && result.requestId) {
      // Accepted: LINE sends it in the background; its progress says when and to how many.
      await redis.hset(keys.chunks(id), "0", JSON.stringify({ ...base, at: Date.now() }));
      await addCampaignJobs(queue, [{ kind: "progress", campaignId: id }], {
        delay: progressIntervalMs,
      });
      return;
    }
    await settle(id, channel, 0, result.outcome, base);
  }

  async function followProgress(id: string) {
    const record = await redis.hgetall(keys.record(id));
    if (!record.requestId || record.state === "cancelled") return;
    const { name: channel, client } = await options.clientOf(record.channel || undefined);
    const progress = await client.api.getNarrowcastProgress(record.requestId);
    await redis.hset(keys.record(id), "narrowcastProgress", JSON.stringify(progress));
    const chunk = JSON.parse((await redis.hget(keys.chunks(id), "0")) ?? "{}") as ChunkRecord;
    if (progress.phase === "succeeded" || progress.phase === "failed") {
      const success = progress.successCount ?? 0;
      const failure = progress.failureCount ?? 0;
      await redis.hset(keys.record(id), "total", String(progress.targetCount ?? success + failure));
      if (failure > 0) {
        await redis.hincrby(keys.record(id), "failed", failure);
        observe.recipients(channel, "failed", failure);
      }
      const failedWhole = progress.phase === "failed" && success === 0;
      await settle(id, channel, 0, failedWhole ? "failed" : "sent", {
        ...chunk,
        recipients: success,
        ...(progress.phase === "failed"
          ? {
              error: `LINE: ${progress.errorCode ?? ""} ${progress.failedDescription ?? ""}`.trim(),
            }
          : {}),
      });
      return;
    }
    throw new PutAside(Date.now() + progressIntervalMs);
  }

  async function processJob(job: Job<CampaignJob>, token?: string) {
    // A job of a newer or older shape is a bug to see, not a campaign to guess at.
    const data = campaignJobSchema.parse(job.data);
    try {
      if (data.kind === "start") await start(data.campaignId);
      else if (data.kind === "chunk") await sendChunk(data.campaignId, data.chunk);
      else if (data.kind === "send") await sendWhole(data.campaignId);
      else await followProgress(data.campaignId);
    } catch (error) {
      if (!(error instanceof PutAside)) throw error;
      await job.moveToDelayed(error.until, token);
      throw new DelayedError();
    }
  }

  const worker = new Worker<CampaignJob>(CAMPAIGNS_QUEUE_NAME, processJob, {
    connection: redis,
    prefix: options.keys.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.lockDurationMs,
    // A job whose worker was killed is taken over however often that happens: the chunk's record
    // and its retry key, not BullMQ's count, keep it from being sent twice.
    maxStalledCount: 1_000,
  });
  worker.on("failed", (job, error) => {
    logger.error(
      { err: error, campaign: job?.data.campaignId, job: job?.id },
      "campaign job failed",
    );
    // A start that failed for good (LINE or Redis away through every attempt) fails its campaign,
    // with the reason, rather than leave it preparing; `resume` starts it again.
    if (job?.data.kind === "start" && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const id = job.data.campaignId;
      void redis
        .hset(keys.record(id), "reason", `could not start: ${error.message}`)
        .then(() => move(id, "failed", "preparing", "scheduled"))
        .catch(() => {});
    }
  });
  worker.on("error", (error) => logger.warn({ reason: error.message }, "campaign worker error"));

  return {
    waitUntilReady: () => worker.waitUntilReady(),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** The SDK's calls have no timeout of their own; past the deadline the outcome is unknown. */
function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  call.catch(() => {});
  return Promise.race([
    call,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`LINE did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
