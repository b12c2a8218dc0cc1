import type { EventSource } from "./envelope.ts";

/**
 * The chat an event belongs to, in the form LINE's push API takes as `to`:
 * a group, else a room, else the user of a one-to-one chat. Events without a source
 * (module and suspension events, a failed account link) belong to no chat.
 */
export function chatIdOf(source: EventSource | undefined): string | undefined {
  if (!source) return undefined;
  return source.groupId ?? source.roomId ?? source.userId;
}
