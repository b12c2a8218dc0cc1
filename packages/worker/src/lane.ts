import { LEAVE_LANE, laneKey, TAKE_TURN } from "@linefleet/queue";
import type { Redis } from "ioredis";

export type Turn = { go: true } | { go: false; head: string };

/** One worker's view of the per-chat lanes (see @linefleet/queue lanes.ts for the design). */
export class Lanes {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** Whether the event may run now: it heads its chat's lane, or is in no lane at all. */
  async takeTurn(chatId: string, webhookEventId: string): Promise<Turn> {
    const [go, head] = (await this.#redis.eval(
      TAKE_TURN,
      1,
      laneKey(this.#prefix, chatId),
      webhookEventId,
    )) as [number, string?];
    return go === 1 ? { go: true } : { go: false, head: head ?? "" };
  }

  /** Removes a finished (or dead-lettered) event; returns the event now at the head, if any. */
  async leave(chatId: string, webhookEventId: string): Promise<string | undefined> {
    const next = (await this.#redis.eval(
      LEAVE_LANE,
      1,
      laneKey(this.#prefix, chatId),
      webhookEventId,
    )) as string | null;
    return next ?? undefined;
  }
}
