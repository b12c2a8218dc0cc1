/**
 * Redis keys of the bot runtime (sessions, cached profiles, a bot's message log), with their
 * TTLs. Keys of one chat carry the chat's lane (`laneOf`: bot user ID + chat id) as a Redis
 * Cluster hash tag, so they land in the same slot as each other and as the lane.
 */
export const chatTag = (lane: string) => `{${lane}}`;

/** One chat's session: a hash `{ v: version, data: JSON }`. */
export const sessionKey = (prefix: string, lane: string) => `${prefix}:session:${chatTag(lane)}`;
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/** A user's profile as the bot `destination` sees it (display names differ per channel's friend). */
export const profileKey = (prefix: string, destination: string, userId: string) =>
  `${prefix}:profile:${destination}:${userId}`;
export const PROFILE_TTL_SECONDS = 60 * 60;

/** A hash of one chat's messages, for bots that keep them (and must forget them on unsend). */
export const messageLogKey = (prefix: string, lane: string) =>
  `${prefix}:messages:${chatTag(lane)}`;
export const MESSAGE_LOG_TTL_SECONDS = 7 * 24 * 60 * 60;
