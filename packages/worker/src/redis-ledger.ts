import type { LedgerEntry, SendLedger, SendVia } from "@linefleet/line-client";
import { defineScript } from "@linefleet/queue";
import type { Redis } from "ioredis";

/** As long as LINE remembers retry keys: after that a replayed push would be new to LINE anyway. */
const LEDGER_TTL_SECONDS = 24 * 60 * 60;

const CLAIM = `
local earlier = redis.call("HGET", KEYS[1], ARGV[1])
if earlier then return earlier end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[3])
return false
`;

/** HSET and EXPIRE together, as a MULTI would, without building an ioredis transaction per send. */
const RECORD = `
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[3])
return 1
`;

/**
 * The send ledger in Redis: one hash per event, a field per send position, kept per channel.
 * The "default" channel keeps the key it had before there were channels, so events in flight
 * across an upgrade still find what they sent.
 */
export function createRedisLedger(redis: Redis, prefix: string, channel = "default"): SendLedger {
  const scope = channel === "default" ? `${prefix}:ledger` : `${prefix}:ledger:${channel}`;
  const key = (id: string) => `${scope}:${id}`;
  const claim = defineScript(redis, "linefleetLedgerClaim", CLAIM, 1);
  const recordScript = defineScript(redis, "linefleetLedgerRecord", RECORD, 1);
  return {
    async claim(id: string, position: number, via: SendVia, at: number) {
      const entry: LedgerEntry = { status: "sending", via, at };
      const earlier = (await claim.run(
        key(id),
        String(position),
        JSON.stringify(entry),
        LEDGER_TTL_SECONDS,
      )) as string | null;
      return earlier ? (JSON.parse(earlier) as LedgerEntry) : undefined;
    },
    async record(id, position, entry) {
      await recordScript.run(key(id), String(position), JSON.stringify(entry), LEDGER_TTL_SECONDS);
    },
    async entries(id) {
      const all = await redis.hgetall(key(id));
      return new Map(
        Object.entries(all).map(([position, json]) => [
          Number(position),
          JSON.parse(json) as LedgerEntry,
        ]),
      );
    },
  };
}
