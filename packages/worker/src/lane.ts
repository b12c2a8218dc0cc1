import type { RedisConnection } from "@linefleet/queue";
import {
  defineScript,
  LANE_TTL_SECONDS,
  LEAVE_LANE,
  type RedisKeys,
  type RedisScript,
  TAKE_TURN,
} from "@linefleet/queue";

export type Turn = { go: true } | { go: false; head: string };

/** One worker's view of the per-chat lanes (see @linefleet/queue redis-model/lanes.ts). */
export class Lanes {
  readonly #takeTurn: RedisScript;
  readonly #leave: RedisScript;
  readonly #keys: RedisKeys;

  constructor(redis: RedisConnection, keys: RedisKeys) {
    this.#takeTurn = defineScript(redis, TAKE_TURN);
    this.#leave = defineScript(redis, LEAVE_LANE);
    this.#keys = keys;
  }

  /**
   * Whether the event may run now: it heads its chat's lane, or is in no lane at all.
   * When it may not, it is marked as waiting for `waitMs`, so the event ahead can wake it.
   */
  async takeTurn(lane: string, webhookEventId: string, waitMs: number): Promise<Turn> {
    const [go, head] = (await this.#takeTurn.run(
      this.#keys.lane(lane),
      this.#keys.laneWaiting(lane),
      webhookEventId,
      Math.ceil(waitMs) + 1_000,
      LANE_TTL_SECONDS,
    )) as [number, string?];
    return go === 1 ? { go: true } : { go: false, head: head ?? "" };
  }

  /** Removes a finished (or dead-lettered) event; returns the next event if it awaits its turn. */
  async leave(lane: string, webhookEventId: string): Promise<string | undefined> {
    const next = (await this.#leave.run(
      this.#keys.lane(lane),
      this.#keys.laneWaiting(lane),
      webhookEventId,
    )) as string | null;
    return next ?? undefined;
  }
}
