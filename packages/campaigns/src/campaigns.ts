import { randomBytes } from "node:crypto";
import {
  CAMPAIGN_RECORD_TTL_SECONDS,
  CAMPAIGN_REOPEN,
  CAMPAIGN_TRANSITION,
  type CampaignKeys,
  campaignKeys,
  createWorkerConnection,
  defineScript,
  type RedisConnection,
} from "@linefleet/store";
import { z } from "zod";
import {
  addCampaignJobs,
  type CampaignJob,
  CHUNK_SIZE,
  openCampaignQueue,
} from "./campaign-jobs.ts";
import { type CampaignDefinition, campaignSchema, kindOf } from "./campaign-schema.ts";
import { type CampaignState, type CampaignStatus, readCampaign } from "./campaign-status.ts";
import { CampaignError } from "./errors.ts";
import { collectUserIds, readUserIdsFile } from "./read-audience.ts";
import { startDelayMs } from "./schedule-at.ts";

/** A campaign as the API takes it: the file's shape, or its audience as IDs (any iterable). */
export type CampaignInput = Omit<CampaignDefinition, "audience"> & {
  audience: CampaignDefinition["audience"] | Iterable<string> | AsyncIterable<string>;
};

export interface SendOptions {
  /** When to start (epoch ms); now when absent. */
  at?: number;
  /** Send even when the campaign needs more messages than the quota has left. */
  allowOverQuota?: boolean;
}

export interface CampaignsOptions {
  /** The deployment's Redis, as its workers use it; or `redisUrl` to open one. */
  redis?: RedisConnection;
  /** Default `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** The workers' QUEUE_PREFIX; default `linefleet`. */
  prefix?: string;
}

const isIterable = (value: unknown): value is Iterable<string> | AsyncIterable<string> =>
  typeof value === "object" &&
  value !== null &&
  (Symbol.iterator in value || Symbol.asyncIterator in value);

/** Time-ordered and unguessable enough: `c` + base-36 ms + 8 random hex digits. */
const newCampaignId = () => `c${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;

/**
 * Redis writes of the recipients list go in slices: one RPUSH per slice keeps each command small
 * while 100,000 IDs still take a few round trips.
 */
const recipientsPerPush = 5_000;

/**
 * Campaigns as the API and the `linefleet campaign` command see them: create one (its sending is
 * done by the workers), read, pause, resume, cancel, retry what failed. Every call works on
 * Redis only; nothing here speaks to LINE.
 */
export function createCampaigns(options: CampaignsOptions = {}) {
  const prefix = options.prefix ?? "linefleet";
  const redis =
    options.redis ?? createWorkerConnection({ url: options.redisUrl ?? "redis://127.0.0.1:6379" });
  const keys: CampaignKeys = campaignKeys(prefix);
  const queue = openCampaignQueue(redis, prefix);
  const transition = defineScript(redis, CAMPAIGN_TRANSITION);
  const reopen = defineScript(redis, CAMPAIGN_REOPEN);
  const keysOf = (id: string) => [keys.record(id), keys.chunks(id), keys.recipients(id)];

  async function mustRead(id: string): Promise<CampaignStatus> {
    const status = await readCampaign(redis, keys, id);
    if (!status) throw new CampaignError("not_found", `no campaign ${id}`);
    return status;
  }

  /** Moves the campaign from one of `from` to `to`, or says which state stood in the way. */
  async function move(id: string, to: CampaignState, from: CampaignState[], verb: string) {
    const was = String(
      await transition.run(...keysOf(id), to, Date.now(), CAMPAIGN_RECORD_TTL_SECONDS, ...from),
    );
    if (was === "missing") throw new CampaignError("not_found", `no campaign ${id}`);
    if (!from.includes(was as CampaignState)) {
      throw new CampaignError("wrong_state", `campaign ${id} is ${was}: it cannot be ${verb}`);
    }
    return was as CampaignState;
  }

  /** Queues whatever of the campaign is not settled; the job ids make a repeat harmless. */
  async function requeue(id: string) {
    await addCampaignJobs(queue, [{ kind: "start", campaignId: id }]);
  }

  return {
    keys,

    /** Creates the campaign and queues its start; resolves with its id. */
    async send(input: CampaignInput, options: SendOptions = {}): Promise<string> {
      const { audience: given, ...rest } = input;
      const fromIds = isIterable(given);
      const parsed = campaignSchema.safeParse(
        fromIds ? { ...rest, audience: { followers: true } } : input,
      );
      if (!parsed.success) {
        throw new CampaignError("invalid_campaign", z.prettifyError(parsed.error));
      }
      const campaign = parsed.data;
      const audience = campaign.audience;
      let ids: string[] | undefined;
      let described: Record<string, unknown> = audience;
      if (fromIds) {
        ids = await collectUserIds(given);
        described = { userIds: ids.length };
      } else if ("userIds" in audience) {
        ids = await collectUserIds(audience.userIds);
        described = { userIds: ids.length };
      } else if ("userIdsFile" in audience) {
        ids = await readUserIdsFile(audience.userIdsFile);
        described = { userIdsFile: audience.userIdsFile, userIds: ids.length };
      }
      const id = newCampaignId();
      const now = Date.now();
      const at = options.at !== undefined && options.at > now ? options.at : undefined;
      if (ids) {
        for (let start = 0; start < ids.length; start += recipientsPerPush) {
          await redis.rpush(keys.recipients(id), ...ids.slice(start, start + recipientsPerPush));
        }
      }
      await redis.hset(keys.record(id), {
        id,
        name: campaign.name,
        channel: campaign.channel ?? "",
        kind: kindOf(audience),
        audience: JSON.stringify(described),
        messages: JSON.stringify(campaign.messages),
        notificationDisabled: campaign.notificationDisabled ? "1" : "0",
        allowOverQuota: options.allowOverQuota ? "1" : "0",
        // A followers audience is fixed by the first worker to start it.
        audienceReady: ids ? "1" : "0",
        total: String(ids?.length ?? 0),
        sent: "0",
        failed: "0",
        notSent: "0",
        state: at ? "scheduled" : "preparing",
        createdAt: String(now),
        ...(at ? { scheduledAt: String(at) } : {}),
      });
      await redis.zadd(keys.index(), now, id);
      const start: CampaignJob = { kind: "start", campaignId: id };
      await addCampaignJobs(queue, [start], at ? { delay: startDelayMs(at, now) } : {});
      return id;
    },

    status: mustRead,

    /** Every campaign still on record, newest first. */
    async list(): Promise<CampaignStatus[]> {
      const ids = await redis.zrevrange(keys.index(), 0, -1);
      const found: CampaignStatus[] = [];
      const expired: string[] = [];
      for (const id of ids) {
        const status = await readCampaign(redis, keys, id);
        if (status) found.push(status);
        else expired.push(id);
      }
      if (expired.length > 0) await redis.zrem(keys.index(), ...expired);
      return found;
    },

    /** Stops sending after the sends in flight; `resume` goes on where it stopped. */
    async pause(id: string) {
      await move(id, "paused", ["sending", "preparing", "scheduled"], "paused");
    },

    /**
     * Goes on where a paused campaign stopped, or starts again one that failed to start. On a
     * campaign that is sending (or waits to start),
     * queues again whatever of it is not settled — harmless when all is well (the jobs' ids make a
     * repeat a no-op), and the way to revive one whose jobs were lost.
     */
    async resume(id: string) {
      const { state, startedAt } = await mustRead(id);
      if (state === "failed" && startedAt === undefined) {
        // It never started (LINE or Redis away through every try): start it again.
        await move(id, "preparing", ["failed"], "resumed");
      } else if (state !== "sending" && state !== "preparing" && state !== "scheduled") {
        await move(id, "sending", ["paused"], "resumed");
      }
      await requeue(id);
    },

    /** Nothing more is sent; what was sent stays recorded, the rest counts as not sent. */
    async cancel(id: string) {
      await move(id, "cancelled", ["scheduled", "preparing", "sending", "paused"], "cancelled");
    },

    /**
     * Sends the failed and not-sent chunks again, each with its own retry key, so a chunk LINE
     * did accept (an unknown outcome) is answered 409 and not delivered twice — within LINE's
     * 24 hours of remembering keys. Resolves with the chunks reopened.
     */
    async retry(id: string): Promise<number[]> {
      await mustRead(id);
      const reopened = (await reopen.run(...keysOf(id))) as string[];
      if (reopened.length > 0) await requeue(id);
      return reopened.map(Number);
    },

    /** The user IDs of a multicast campaign's chunks in one state (failed, not_sent, sent). */
    async recipientsIn(id: string, state: "failed" | "not_sent" | "sent"): Promise<string[]> {
      const status = await mustRead(id);
      const chunkNumbers = new Set(
        status.chunks.filter((chunk) => chunk.state === state).map((c) => c.chunk),
      );
      // A campaign that ended early (cancelled, stopped) never recorded its untried chunks.
      if (state === "not_sent" && (status.state === "cancelled" || status.state === "stopped")) {
        const tried = new Set(status.chunks.map((chunk) => chunk.chunk));
        for (let chunk = 0; chunk * CHUNK_SIZE < status.total; chunk++) {
          if (!tried.has(chunk)) chunkNumbers.add(chunk);
        }
      }
      const ids: string[] = [];
      for (const chunk of [...chunkNumbers].sort((a, b) => a - b)) {
        ids.push(
          ...(await redis.lrange(
            keys.recipients(id),
            chunk * CHUNK_SIZE,
            chunk * CHUNK_SIZE + CHUNK_SIZE - 1,
          )),
        );
      }
      return ids;
    },

    async close() {
      await queue.close();
      // A connection it opened is its own to close; one it was given is the caller's.
      if (!options.redis) redis.disconnect();
    },
  };
}

export type Campaigns = ReturnType<typeof createCampaigns>;
