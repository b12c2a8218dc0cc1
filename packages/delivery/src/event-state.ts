import type { RedisConnection } from "@linefleet/store";
import {
  BEGIN_EVENT,
  BEGIN_SCHEDULED,
  DEAD_LETTER_TTL_SECONDS,
  defineScript,
  FINISH_EVENT,
  FINISH_SCHEDULED,
  LANE_TTL_SECONDS,
  LEDGER_TTL_SECONDS,
  type RedisKeys,
  STEP_ASIDE,
} from "@linefleet/store";
import { AttemptLedger } from "./attempt-ledger.ts";
import type { EventOutcome } from "./event-outcome.ts";
import type { LedgerEntry } from "./send-ledger.ts";

type Begun =
  | { status: "run"; ledger: AttemptLedger; overtook: string | undefined }
  /** Not its turn: `head` is the event of its chat ahead of it. */
  | { status: "wait"; head: string }
  /** Handled already (its job's completion was lost, or a scheduled item sent): nothing to do. */
  | { status: "done" }
  /** A scheduled item that was cancelled: nothing to do. */
  | { status: "cancelled" };

/** An outcome as FINISH_EVENT's script names it (redis-model/event-turn.ts). */
const scriptOutcome = { ok: "done", retry: "retry", dead_letter: "dead" } as const;

/**
 * An event's state in Redis as the worker sees it — its place in its lane and its send ledger —
 * read and written with one script before the handler and one after (see @linefleet/store
 * redis-model/event-turn.ts), plus one when it has to step aside for its turn.
 */
export function createEventState(
  redis: RedisConnection,
  keys: RedisKeys,
  doneGraceSeconds: number,
) {
  const begin = defineScript(redis, BEGIN_EVENT);
  const beginScheduled = defineScript(redis, BEGIN_SCHEDULED);
  const finishScheduled = defineScript(redis, FINISH_SCHEDULED);
  const stepAside = defineScript(redis, STEP_ASIDE);
  const finish = defineScript(redis, FINISH_EVENT);
  const ttl: Record<EventOutcome, number> = {
    ok: doneGraceSeconds,
    retry: LEDGER_TTL_SECONDS,
    dead_letter: DEAD_LETTER_TTL_SECONDS,
  };

  return {
    /**
     * Takes the event's turn (`force`: even if not at the head) and loads its ledger. A scheduled
     * item (`scheduled`) first enters its lane, unless it was cancelled or sent already.
     */
    async begin(
      lane: string | undefined,
      eventKey: string,
      {
        now,
        force,
        replyDeadline,
        scheduled,
      }: {
        now: number;
        force: boolean;
        replyDeadline: number;
        /** A scheduled item's lane score (scheduled-item.ts); undefined for an event. */
        scheduled?: number | undefined;
      },
    ): Promise<Begun> {
      const args = [eventKey, now, LEDGER_TTL_SECONDS, force ? "1" : "0"];
      let reply: [number, ...string[]];
      if (scheduled !== undefined && lane !== undefined) {
        const k = keys.scheduled(lane, eventKey);
        reply = (await beginScheduled.run(
          k.lane,
          k.laneWaiting,
          k.ledger,
          k.state,
          k.due,
          ...args,
          LEDGER_TTL_SECONDS,
          scheduled,
        )) as [number, ...string[]];
      } else {
        const k = keys.event(lane, eventKey);
        reply = (await begin.run(k.lane, k.laneWaiting, k.ledger, ...args)) as [
          number,
          ...string[],
        ];
      }
      const [status, earlier = "", overtook = "", ...fields] = reply;
      if (status === 0) return { status: "wait", head: earlier };
      if (status === 2) return { status: "done" };
      if (status === 3) return { status: "cancelled" };
      return {
        status: "run",
        overtook: overtook || undefined,
        ledger: new AttemptLedger(sendsOf(fields), {
          interruptedAt: earlier ? Number(earlier) : undefined,
          replyDeadline,
        }),
      };
    },

    /**
     * Marks the event as waiting once its job is delayed; true when its turn came meanwhile, so
     * the caller must wake it (nobody else will).
     */
    async stepAside(lane: string, eventKey: string, waitMs: number): Promise<boolean> {
      const k = keys.event(lane, eventKey);
      const turnCame = await stepAside.run(
        k.lane,
        k.laneWaiting,
        eventKey,
        Math.ceil(waitMs) + 1_000,
        LANE_TTL_SECONDS,
      );
      return turnCame === 1;
    },

    /**
     * Ends an attempt: writes back its sends (`retry`, `dead_letter`) or drops the ledger (`ok`), and
     * unless retried leaves the lane; returns the next event of the lane to wake, if it waits.
     */
    async finish(
      lane: string | undefined,
      eventKey: string,
      outcome: EventOutcome,
      ledger?: AttemptLedger,
      scheduled = false,
    ): Promise<string | undefined> {
      const k = keys.event(lane, eventKey);
      const script = scheduled && lane !== undefined ? finishScheduled : finish;
      const stateKey =
        scheduled && lane !== undefined ? [keys.scheduled(lane, eventKey).state] : [];
      const next = (await script.run(
        k.lane,
        k.laneWaiting,
        k.ledger,
        ...stateKey,
        eventKey,
        scriptOutcome[outcome],
        ttl[outcome],
        ...(outcome === "ok" ? [] : (ledger?.changes() ?? [])),
      )) as string | null;
      return next ?? undefined;
    },

    /** The sends recorded for an event (a dead letter's, say). */
    async sends(lane: string | undefined, eventKey: string) {
      const all = await redis.hgetall(keys.ledger(lane, eventKey));
      return sendsOf(Object.entries(all).flat());
    },
  };
}

export type EventState = ReturnType<typeof createEventState>;

/** Send positions and their entries from a ledger's fields; "~…" fields are bookkeeping. */
function sendsOf(fields: string[]): Map<number, LedgerEntry> {
  const sends = new Map<number, LedgerEntry>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const field = fields[i] ?? "";
    if (field.startsWith("~")) continue;
    sends.set(Number(field), JSON.parse(fields[i + 1] ?? "{}") as LedgerEntry);
  }
  return sends;
}
