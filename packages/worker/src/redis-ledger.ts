import type { LedgerEntry, SendLedger, SendVia } from "@linefleet/line-client";
import type { RedisConnection } from "@linefleet/queue";
import {
  defineScript,
  LEDGER_CLAIM,
  LEDGER_RECORD,
  LEDGER_TTL_SECONDS,
  type RedisKeys,
} from "@linefleet/queue";

/** The send ledgers in Redis; each event's lives in its lane's slot, so it is found by lane. */
export interface RedisLedger {
  /** The ledger of the events of `lane` (undefined: events without a chat). */
  of(lane: string | undefined): SendLedger;
}

export function createRedisLedger(redis: RedisConnection, keys: RedisKeys): RedisLedger {
  const claim = defineScript(redis, LEDGER_CLAIM);
  const recordScript = defineScript(redis, LEDGER_RECORD);
  return {
    of(lane) {
      const key = (id: string) => keys.ledger(lane, id);
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
          await recordScript.run(
            key(id),
            String(position),
            JSON.stringify(entry),
            LEDGER_TTL_SECONDS,
          );
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
    },
  };
}
