/**
 * The Redis data model, in one place: every key linefleet writes, its builder, its TTL and the
 * Lua scripts that touch it (docs/redis-data-model.md has the table). Everything of one lane —
 * the lane, its waiting set, its events' ledgers, its session — shares the lane's hash tag, so
 * one script may touch it all, on one Redis or on a Cluster shard.
 *
 * With shards (QUEUE_SHARDS > 1, or any Redis Cluster), a lane's tag is its shard's tag instead:
 * the ingress admits an event to its lane, adds its job and marks it in one script, so the lane's
 * keys and the dedupe marks must share a slot with the shard queue's BullMQ keys. A lane still has one tag for all its keys.
 */
import { dedupeMarkOf } from "./dedupe-marks.ts";
import { bullKey, EVENTS_QUEUE_NAME } from "./queue.ts";
import { RECURRING_QUEUE_NAME } from "./scheduled.ts";
import { shardLayout } from "./shards.ts";
import { assertPlainPrefix, hashTag } from "./tags.ts";

export interface RedisKeysOptions {
  /** QUEUE_SHARDS: how many hash-tagged event queues. */
  shards?: number;
  /** On a Redis Cluster even one shard is tagged. */
  cluster?: boolean;
}

export function redisKeys(prefix: string, { shards = 1, cluster = false }: RedisKeysOptions = {}) {
  assertPlainPrefix(prefix);
  const layout = shardLayout({ count: shards, cluster, baseName: EVENTS_QUEUE_NAME });
  /** `<prefix>:<family>:<the lane's tag>`: the shard's tag then the lane, or the lane as tag. */
  const ofLane = (family: string, lane: string) =>
    layout.tagged
      ? `${prefix}:${family}:${layout.tag(layout.shardOfLane(lane))}:${lane}`
      : `${prefix}:${family}:${hashTag(lane)}`;
  const lane = (lane: string) => ofLane("lane", lane);
  const laneWaiting = (lane: string) => ofLane("lane-waiting", lane);
  /**
   * An event's ledger, by the event's key (eventKeyOf: its channel and webhookEventId). An event
   * without a chat has its ledger tagged by its own key, like its (empty) lane keys.
   */
  const ledger = (lane: string | undefined, eventKey: string) =>
    lane === undefined ? ofLane("ledger", eventKey) : `${ofLane("ledger", lane)}:${eventKey}`;
  /** Untagged (one shard on one Redis), every shard's due set is the one key. */
  const scheduledDue = (shard: number) =>
    layout.tagged ? `${prefix}:scheduled-due:${layout.tag(shard)}` : `${prefix}:scheduled-due`;
  return {
    prefix,
    layout,
    /**
     * BullMQ's key of a shard queue's state (`wait`, `active`, …) or of one of its jobs (by id):
     * the queue's name comes from the layout, so every key of a shard shares its slot.
     */
    queueKey: (shard: number, name: string) => bullKey(prefix, layout.queueName(shard), name),
    /**
     * A SCAN pattern matching every lane key of a shard. Untagged, a lane's tag is the lane itself;
     * tagged, the shard's tag comes first. Redis's glob treats a tag's braces as plain characters.
     */
    lanesOfShard: (shard: number) =>
      layout.tagged ? `${prefix}:lane:${layout.tag(shard)}:*` : `${prefix}:lane:{*}`,
    /** The shard count this deployment was started with (string), set by its first process. */
    queueShards: () => `${prefix}:queue-shards`,
    /**
     * An event's dedupe mark (dedupe-marks.ts): a field of a hash of its shard, by the second of
     * its timestamp and an eighth of its id, in the shard's slot. The hash's TTL: DEDUPE_TTL_MS
     * from its newest mark.
     */
    dedupeMark: (shard: number, eventKey: string, timestamp: unknown) => {
      const { second, bucket, field } = dedupeMarkOf(eventKey, timestamp);
      const key = layout.tagged
        ? `${prefix}:dedupe:${layout.tag(shard)}:${second}:${bucket}`
        : `${prefix}:dedupe:${second}:${bucket}`;
      return { key, field };
    },
    /**
     * The dedupe mark linefleet kept before its compact marks: BullMQ's deduplication key of the
     * event (string, `<prefix>:<queue>:de:<dedupe id>`), in the shard's slot. No longer written;
     * still read by the ingress, so that an upgrade keeps refusing the redeliveries of events
     * acknowledged by the version before it, until those keys expire (DEDUPE_TTL_MS). By the
     * event's dedupe id (dedupeIdFor), which is also its compact mark's field.
     */
    legacyDedupeMark: (shard: number, dedupeId: string) =>
      bullKey(prefix, layout.queueName(shard), `de:${dedupeId}`),
    /** A lane: its pending events (sorted set, scored by timestamp). */
    lane,
    /** The lane's events waiting for their turn (sorted set, scored by when the mark lapses). */
    laneWaiting,
    /** An event's send ledger (hash: send position → entry, see event-turn.ts), in its lane's slot. */
    ledger,
    /**
     * The keys an event's worker scripts touch, all in one slot: its lane, the lane's waiting set
     * and its ledger. An event without a chat gets a lane and waiting set tagged by its own id,
     * which stay empty.
     */
    event: (laneOfEvent: string | undefined, eventKey: string) => {
      const tagged = laneOfEvent ?? eventKey;
      return {
        lane: lane(tagged),
        laneWaiting: laneWaiting(tagged),
        ledger: ledger(laneOfEvent, eventKey),
      };
    },
    /**
     * The keys of one scheduled item (scheduled.ts), all in its chat's slot: the event keys (lane,
     * waiting set, ledger, by the item's key), its state (string) and its shard's due set.
     */
    scheduled: (laneOfItem: string, itemKey: string) => ({
      lane: lane(laneOfItem),
      laneWaiting: laneWaiting(laneOfItem),
      ledger: ledger(laneOfItem, itemKey),
      state: `${ofLane("scheduled", laneOfItem)}:${itemKey}`,
      due: scheduledDue(layout.shardOfLane(laneOfItem)),
    }),
    /** A shard's pending scheduled items (sorted set: item key → due ms), in the shard's slot. */
    scheduledDue,
    /** The queue of the recurring jobs' ticks (BullMQ job schedulers); tagged when queues are. */
    recurringQueueName: layout.tagged
      ? `${RECURRING_QUEUE_NAME}-${hashTag(RECURRING_QUEUE_NAME)}`
      : RECURRING_QUEUE_NAME,
    /** A chat's bot session (string or hash, the bot runtime's choice), in its lane's slot. */
    session: (lane: string) => ofLane("session", lane),
    /**
     * The index of the lanes with a conversation in progress (sorted set: lane → when its session
     * lapses, ms), one per shard: in the slot of every lane of that shard (and so of their sessions).
     */
    conversationsOfShard: (shard: number) =>
      layout.tagged ? `${prefix}:conversations:${layout.tag(shard)}` : `${prefix}:conversations`,
    /** The conversations index a lane's session is counted in (see conversationsOfShard). */
    conversationsOfLane: (lane: string) =>
      layout.tagged
        ? `${prefix}:conversations:${layout.tag(layout.shardOfLane(lane))}`
        : `${prefix}:conversations`,
    /** A fleet-wide rate limit (string: GCRA arrival time). */
    rateLimit: (name: string) => `${prefix}:rate:${hashTag(name)}`,
    /** The fleet-wide limit of one channel's calls to LINE's API (LINE limits per channel). */
    lineApiRateLimit: (channel: string) => `${prefix}:rate:${hashTag(`line-api:${channel}`)}`,
    /** A LINE channel's cached access token (string, JSON), by the channel's ID at LINE. */
    token: (channelId: string) => `${prefix}:token:${hashTag(channelId)}`,
    /** The lock held by the process renewing that token (string: its owner), in the token's slot. */
    tokenLock: (channelId: string) => `${prefix}:token-lock:${hashTag(channelId)}`,
    /** A channel's bot user ID as LINE confirmed it (GET /v2/bot/info; string), by name. */
    botUserId: (channel: string) => `${prefix}:bot-user-id:${hashTag(channel)}`,
    /** A chat's messages as a bot keeps them (hash: message id → text; the demo bot's), in its lane's slot. */
    messageLog: (lane: string) => `${prefix}:messages:${hashTag(lane)}`,
    /** The chats subscribed to the demo bot's recurring news (set of chat ids). */
    demoSubscribers: () => `${prefix}:demo-subscribers`,
    /** A user's cached profile as seen by one bot (string, JSON), in the slot of their 1:1 lane. */
    profile: (destination: string, userId: string) => ofLane("profile", `${destination}:${userId}`),
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

export {
  DEDUPE_MARK_BUCKETS,
  dedupeIdFor,
  NO_TIMESTAMP_SECOND,
} from "./dedupe-marks.ts";
export { BEGIN_EVENT, FINISH_EVENT, STEP_ASIDE } from "./event-turn.ts";
export { LANE_TTL_SECONDS, laneOf } from "./lanes.ts";
export { DEAD_LETTER_TTL_SECONDS, DONE_GRACE_SECONDS, LEDGER_TTL_SECONDS } from "./ledger.ts";
export { MESSAGE_LOG_TTL_SECONDS } from "./message-log.ts";
export { PROFILE_TTL_SECONDS } from "./profiles.ts";
export {
  DEFAULT_DEDUPE_TTL_MS,
  eventKeyOf,
  jobIdFor,
  READ_QUEUE_DEPTH,
} from "./queue.ts";
export { RATE_ACQUIRE } from "./rate-limit.ts";
export {
  BEGIN_SCHEDULED,
  CANCEL_SCHEDULED,
  FINISH_SCHEDULED,
  SCHEDULE_ITEM,
  SCHEDULED_DONE_TTL_SECONDS,
  SCHEDULED_STATE_GRACE_SECONDS,
} from "./scheduled.ts";
export type { ScriptSpec } from "./script.ts";
export { SESSION_COMMIT, SESSION_TTL_SECONDS } from "./sessions.ts";
export {
  type ShardLayout,
  type ShardLayoutOptions,
  shardLayout,
  shareConcurrency,
} from "./shards.ts";
export { hashTag } from "./tags.ts";
export { TOKEN_INVALIDATE, TOKEN_LOCK_RELEASE, tokenTtlMs } from "./tokens.ts";
