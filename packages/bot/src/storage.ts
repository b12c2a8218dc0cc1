import type { EventSource } from "@linefleet/webhook";
import type { Profile } from "./profile.ts";

/** A chat's session as stored: its JSON and the version a write must still find. */
export interface StoredSession {
  /** "" when the chat has no session. */
  version: string;
  /** The stored JSON, undefined when the chat has none. */
  json: string | undefined;
  /** The chat's conversation in progress (its replay log, JSON), undefined when none. */
  conversation?: string | undefined;
}

/**
 * What a session write does to the chat's conversation: `undefined` leaves it as stored, `null`
 * deletes it, a string (JSON) replaces it. It is written with the session, under one version.
 */
export type ConversationWrite = string | null | undefined;

/**
 * Where a bot's state lives between events: each chat's session and the profiles it looked up.
 * The runtime that runs the bot provides it (with Redis, in @linefleet/delivery); a chat is the
 * bot's user ID (`destination`) and the event's source.
 */
export interface BotStorage {
  loadSession(destination: string, source: EventSource): Promise<StoredSession>;
  /**
   * Writes `json` (`""`: leaves the stored session's data as it is) and the conversation if the
   * session is still at `version` (as loaded); false when another writer came first.
   * `ttlSeconds` undefined: the store's default lifetime.
   */
  saveSession(
    destination: string,
    source: EventSource,
    version: string,
    json: string,
    ttlSeconds: number | undefined,
    conversation?: ConversationWrite,
  ): Promise<boolean>;
  loadProfile(destination: string, userId: string): Promise<Profile | undefined>;
  saveProfile(destination: string, userId: string, profile: Profile): Promise<void>;
}
