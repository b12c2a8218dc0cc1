import calculateSlot from "cluster-key-slot";
import { describe, expect, it } from "vitest";
import { redisKeys, shardLayout, shareConcurrency } from "../src/index.ts";

describe("shard layout", () => {
  it("keeps a single shard on a single Redis exactly as before: one untagged queue", () => {
    const layout = shardLayout({ count: 1, baseName: "line-events" });
    expect(layout.tagged).toBe(false);
    expect(layout.queueName(0)).toBe("line-events");
    expect(layout.tag(0)).toBeUndefined();
    expect(layout.shardOfLane("Ubot:Uuser")).toBe(0);
  });

  it("tags even a single shard on a cluster, so BullMQ's keys share a slot", () => {
    const layout = shardLayout({ count: 1, cluster: true, baseName: "line-events" });
    expect(layout.queueName(0)).toMatch(/^line-events-\{s0-\d+\}$/);
  });

  it("gives each of 6 shards its own tag, in its own sixth of the slot range", () => {
    const layout = shardLayout({ count: 6, baseName: "line-events" });
    const tags = layout.shards.map((shard) => layout.tag(shard) ?? "");
    expect(new Set(tags).size).toBe(6);
    tags.forEach((tag, shard) => {
      const slot = calculateSlot(`anything:${tag}:wait`);
      expect(Math.floor(slot / (16_384 / 6))).toBe(shard);
    });
    // Three masters with an even split (0-5460, 5461-10922, 10923-16383) each get two shards.
    const masterOf = (slot: number) => (slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2);
    const perMaster = [0, 0, 0];
    for (const tag of tags) {
      const master = masterOf(calculateSlot(tag));
      perMaster[master] = (perMaster[master] ?? 0) + 1;
    }
    expect(perMaster).toEqual([2, 2, 2]);
    expect(() => layout.queueName(6)).toThrow(/no shard 6/);
  });

  it("sends a lane to the same shard every time, and spreads many lanes over all shards", () => {
    const layout = shardLayout({ count: 6, baseName: "line-events" });
    const again = shardLayout({ count: 6, baseName: "line-events" });
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 600; i++) {
      const lane = `Ubot:U${i.toString(16).padStart(32, "0")}`;
      const shard = layout.shardOfLane(lane);
      expect(again.shardOfLane(lane)).toBe(shard);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(60);
  });
});

describe("shareConcurrency", () => {
  it("splits a worker's concurrency evenly, at least one per shard", () => {
    expect(shareConcurrency(16, 6)).toEqual([3, 3, 3, 3, 2, 2]);
    expect(shareConcurrency(16, 1)).toEqual([16]);
    expect(shareConcurrency(2, 3)).toEqual([1, 1, 1]);
  });
});

describe("redisKeys with shards", () => {
  it("puts a lane's keys in its shard queue's slot, so one MULTI can admit and add the event", () => {
    const keys = redisKeys("lf", { shards: 6 });
    const lane = `U${"b".repeat(32)}:U${"1".repeat(32)}`;
    const queue = keys.layout.queueName(keys.layout.shardOfLane(lane));
    const slots = [
      keys.dedupeMark(keys.layout.shardOfLane(lane), "01EVENT", 1_700_000_000_000).key,
      `lf:${queue}:wait`,
      keys.lane(lane),
      keys.laneWaiting(lane),
      keys.ledger(lane, "01EVENT"),
      keys.session(lane),
    ].map((key) => calculateSlot(key));
    expect(new Set(slots).size).toBe(1);
    // Distinct lanes of one shard still have distinct keys.
    expect(keys.lane(lane)).toContain(lane);
  });

  it("records the shard count under one key per deployment", () => {
    expect(redisKeys("lf", { shards: 3 }).queueShards()).toBe("lf:queue-shards");
  });
});
