import { crc32 } from "node:zlib";
import calculateSlot from "cluster-key-slot";

/** Redis Cluster's slot count: a key's slot is CRC16(key or its hash tag) mod 16384. */
const SLOTS = 16_384;

/**
 * How the event queue is split: `count` BullMQ queues, each with its own hash tag so that all its
 * keys, and the keys of the lanes it carries, live in one slot. BullMQ keeps one queue in one slot
 * and will not split it; the documented way past one shard is several queues, routed here.
 */
export interface ShardLayout {
  readonly count: number;
  /** Whether queues carry hash tags: with several shards, or on a Redis Cluster even with one. */
  readonly tagged: boolean;
  /** Every shard's index, 0 … count - 1. */
  readonly shards: readonly number[];
  /** The BullMQ queue name of a shard (`line-events` for a single untagged shard, as always). */
  queueName(shard: number): string;
  /** A shard's hash tag, `{…}`, or undefined when untagged. */
  tag(shard: number): string | undefined;
  /** The shard of a lane: a stable hash of it, so a chat's events always meet in one shard. */
  shardOfLane(lane: string): number;
}

export interface ShardLayoutOptions {
  count: number;
  /** Tag even a single shard (a Redis Cluster needs every queue's keys in one slot). */
  cluster?: boolean;
  /** The queue's base name. */
  baseName: string;
}

export function shardLayout({ count, cluster = false, baseName }: ShardLayoutOptions): ShardLayout {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`a shard count must be >= 1: ${count}`);
  const tagged = count > 1 || cluster;
  const tags = Array.from({ length: count }, (_, shard) => shardTag(shard, count));
  const check = (shard: number) => {
    if (!Number.isInteger(shard) || shard < 0 || shard >= count) {
      throw new Error(`no shard ${shard}: there are ${count}`);
    }
    return shard;
  };
  return {
    count,
    tagged,
    shards: tags.map((_, shard) => shard),
    queueName: (shard) => (tagged ? `${baseName}-${tags[check(shard)]}` : baseName),
    tag: (shard) => (tagged ? tags[check(shard)] : undefined),
    shardOfLane: (lane) => crc32(lane) % count,
  };
}

/**
 * Shard `i`'s tag is the first `{s<i>-<k>}` whose slot falls in the i-th count-th of the slot
 * range. A cluster whose slots are split evenly over its masters (as `redis-cli --cluster create`
 * does) then gets the shards spread evenly over its masters, rather than where CRC16 drops them.
 */
function shardTag(shard: number, count: number): string {
  const from = Math.floor((shard * SLOTS) / count);
  const to = Math.floor(((shard + 1) * SLOTS) / count);
  for (let k = 0; ; k++) {
    const content = `s${shard}-${k}`;
    const slot = calculateSlot(content);
    if (slot >= from && slot < to) return `{${content}}`;
  }
}

/** Splits a worker's concurrency over the shards it consumes: equal shares, at least 1 each. */
export function shareConcurrency(total: number, shards: number): number[] {
  const base = Math.floor(total / shards);
  return Array.from({ length: shards }, (_, i) => Math.max(1, base + (i < total % shards ? 1 : 0)));
}
