import {
  defineScript,
  LEAVE_LANE,
  laneKey,
  type RedisScript,
  TAKE_TURN,
  turnWaitKey,
} from "@linefleet/queue";
import type { Redis } from "ioredis";

export type Turn = { go: true } | { go: false; head: string };

/** One worker's view of the per-chat lanes (see @linefleet/queue lanes.ts for the design). */
export class Lanes {
  readonly #takeTurn: RedisScript;
  readonly #leave: RedisScript;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#takeTurn = defineScript(redis, "linefleetTakeTurn", TAKE_TURN, 2);
    this.#leave = defineScript(redis, "linefleetLeaveLane", LEAVE_LANE, 1);
    this.#prefix = prefix;
  }

  /**
   * Whether the event may run now: it heads its chat's lane, or is in no lane at all.
   * When it may not, it is marked as waiting for `waitMs`, so the event ahead can wake it.
   */
  async takeTurn(lane: string, webhookEventId: string, waitMs: number): Promise<Turn> {
    const [go, head] = (await this.#takeTurn.run(
      laneKey(this.#prefix, lane),
      turnWaitKey(this.#prefix, webhookEventId),
      webhookEventId,
      Math.ceil(waitMs) + 1_000,
    )) as [number, string?];
    return go === 1 ? { go: true } : { go: false, head: head ?? "" };
  }

  /** Removes a finished (or dead-lettered) event; returns the next event if it awaits its turn. */
  async leave(lane: string, webhookEventId: string): Promise<string | undefined> {
    const next = (await this.#leave.run(
      laneKey(this.#prefix, lane),
      webhookEventId,
      turnWaitKey(this.#prefix, ""),
    )) as string | null;
    return next ?? undefined;
  }
}
