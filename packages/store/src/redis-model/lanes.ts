import { chatIdOf, type EventSource } from "@linefleet/webhook";

/**
 * Ordered lanes: the events of one chat (group, else room, else user) are handled one at a time,
 * in `timestamp` order, across every worker process; different chats run in parallel.
 *
 * A lane is a sorted set of the chat's pending events, scored by timestamp (equal timestamps go
 * by the event's key, whose webhookEventId is a ULID: in the order LINE made them). The ingress adds an
 * event in the same script that queues its job, and only if the event is new (admit-events.ts); a worker runs
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
