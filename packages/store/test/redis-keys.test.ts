import { describe, expect, it } from "vitest";
import { laneOf, redisKeys } from "../src/index.ts";

/** The part of a key Redis hashes: between the first "{" and the next "}". */
function slotPart(key: string): string {
  const open = key.indexOf("{");
  const close = key.indexOf("}", open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe("redisKeys", () => {
  const bot = `U${"b".repeat(32)}`;
  const user = `U${"1".repeat(32)}`;
  const keys = redisKeys("lf");

  it("puts a lane, its waiting set, its events' ledgers and its session behind one hash tag", () => {
    const lane = laneOf(bot, { type: "user", userId: user }) ?? "";
    const tags = [
      keys.lane(lane),
      keys.laneWaiting(lane),
      keys.ledger(lane, "01EVENTA"),
      keys.ledger(lane, "01EVENTB"),
      keys.session(lane),
      keys.profile(bot, user),
    ].map(slotPart);
    expect(new Set(tags)).toEqual(new Set([`${bot}:${user}`]));
  });

  it("spreads the ledgers of events without a chat by event id", () => {
    expect(slotPart(keys.ledger(undefined, "01EVENTA"))).toBe("01EVENTA");
    expect(slotPart(keys.ledger(undefined, "01EVENTB"))).toBe("01EVENTB");
  });

  it("with shards, keeps the keys an event's worker scripts touch in one slot, with or without a chat", () => {
    const sharded = redisKeys("lf", { shards: 6 });
    const lane = laneOf(bot, { type: "user", userId: user }) ?? "";
    for (const laneOfEvent of [lane, undefined]) {
      for (const id of ["01EVENTA", "01EVENTB", "01EVENTC"]) {
        const event = sharded.event(laneOfEvent, id);
        const tags = new Set([event.lane, event.laneWaiting, event.ledger].map(slotPart));
        expect(tags.size).toBe(1);
        expect([...tags][0]).toMatch(/^s\d-\d+$/);
      }
    }
  });

  it("keeps a session and its shard's conversations index in one slot when tagged", () => {
    for (const tagged of [redisKeys("lf", { shards: 3 }), redisKeys("lf", { cluster: true })]) {
      for (const userId of [user, `U${"2".repeat(32)}`, `U${"3".repeat(32)}`]) {
        const lane = laneOf(bot, { type: "user", userId }) ?? "";
        const shard = tagged.layout.shardOfLane(lane);
        expect(slotPart(tagged.conversationsOfLane(lane))).toBe(slotPart(tagged.session(lane)));
        expect(tagged.conversationsOfLane(lane)).toBe(tagged.conversationsOfShard(shard));
      }
    }
    // One shard on a single Redis: one index, untagged (a script may span slots there).
    expect(keys.conversationsOfShard(0)).toBe("lf:conversations");
  });

  it("keeps the keys a scheduled item's scripts touch in one slot with its chat's shard queue", () => {
    for (const cluster of [false, true]) {
      const sharded = redisKeys("lf", { shards: cluster ? 1 : 6, cluster });
      for (const userId of [user, `U${"3".repeat(32)}`, `U${"4".repeat(32)}`]) {
        const lane = laneOf(bot, { type: "user", userId }) ?? "";
        const item = sharded.scheduled(lane, "scheduled-abc");
        const shard = sharded.layout.shardOfLane(lane);
        const tags = new Set(
          [
            item.lane,
            item.laneWaiting,
            item.ledger,
            item.state,
            item.due,
            sharded.queueKey(shard, "scheduled-abc"),
          ].map(slotPart),
        );
        expect(tags.size).toBe(1);
      }
    }
    // The recurring queue is tagged whenever the events queue is.
    expect(slotPart(`lf:${redisKeys("lf", { shards: 3 }).recurringQueueName}:wait`)).toBe(
      "recurring",
    );
    expect(redisKeys("lf").recurringQueueName).toBe("recurring");
  });

  it("keeps different chats and different bots in different tags", () => {
    const other = `U${"2".repeat(32)}`;
    const a = laneOf(bot, { type: "user", userId: user }) ?? "";
    const b = laneOf(bot, { type: "user", userId: other }) ?? "";
    const c = laneOf(`U${"c".repeat(32)}`, { type: "user", userId: user }) ?? "";
    expect(new Set([a, b, c].map((lane) => slotPart(keys.lane(lane)))).size).toBe(3);
  });

  it("keeps a channel's token and its renewal lock in one slot, per LINE channel", () => {
    expect(slotPart(keys.token("1657000001"))).toBe("1657000001");
    expect(slotPart(keys.tokenLock("1657000001"))).toBe("1657000001");
    expect(keys.token("1657000001")).not.toBe(keys.token("1657000002"));
  });

  it("gives each channel its own LINE rate limit and bot user id", () => {
    expect(keys.lineApiRateLimit("shop")).not.toBe(keys.lineApiRateLimit("support"));
    expect(keys.lineApiRateLimit("shop")).toBe(keys.rateLimit("line-api:shop"));
    expect(keys.botUserId("shop")).not.toBe(keys.botUserId("support"));
  });

  it("refuses a prefix that carries a hash tag of its own", () => {
    expect(() => redisKeys("lf{x}")).toThrow(/QUEUE_PREFIX must not contain/);
  });
});
