import { chatIdOf, type EventSource } from "@linefleet/webhook";
import type { ScriptSpec } from "./script.ts";

/**
 * Ordered lanes: the events of one chat (group, else room, else user) are handled one at a time,
 * in `timestamp` order, across every worker process; different chats run in parallel.
 *
 * A lane is a sorted set of the chat's pending events, scored by timestamp (equal timestamps go
 * by the event's key, whose webhookEventId is a ULID: in the order LINE made them). The ingress adds an
 * event in the same transaction that queues its job (and only if the job is new); a worker runs
 * an event only while it heads its lane and removes it once the event is done or dead-lettered.
 * Beside it, the lane's waiting set holds the events that stepped aside for their turn (scored by
 * when their mark lapses), so the event ahead can wake them: a fixed key per lane, declared in
 * KEYS like every key a script touches. The worker's scripts are in event-turn.ts.
 */

/**
 * The lane an event belongs to: its chat, as seen by the bot it was sent to. User IDs are shared
 * by the channels of one provider, so the same user talking to two bots makes two lanes.
 * The lane is also the hash tag of its keys, and of its events' ledgers and its session.
 */
export function laneOf(destination: string, source: EventSource | undefined): string | undefined {
  const chatId = chatIdOf(source);
  return chatId ? `${destination}:${chatId}` : undefined;
}

/** How long an abandoned lane entry or waiting mark can linger: far past any retry schedule. */
export const LANE_TTL_SECONDS = 24 * 60 * 60;

/**
 * KEYS[1] the event's dedupe mark, KEYS[2] the lane. ARGV: timestamp, the event's key (eventKeyOf), ttl seconds.
 * Runs just before the job is added, in the same MULTI: a duplicate never re-enters a lane.
 */
export const ADMIT_TO_LANE: ScriptSpec = {
  name: "linefleetAdmitToLane",
  keys: 2,
  lua: `
if redis.call("EXISTS", KEYS[1]) == 0 then
  redis.call("ZADD", KEYS[2], ARGV[1], ARGV[2])
  redis.call("EXPIRE", KEYS[2], ARGV[3])
  return 1
end
return 0
`,
};
