/**
 * A bot's log of a chat's messages (the demo bot keeps every text, and forgets one when its user
 * unsends it, as LINE asks). Tagged like the chat's lane. Written and deleted by the bot.
 */
export const MESSAGE_LOG_TTL_SECONDS = 7 * 24 * 60 * 60;
