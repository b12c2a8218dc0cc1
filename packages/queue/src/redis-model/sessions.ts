/**
 * Bot sessions: one per lane (a chat as seen by one bot), tagged like the lane so a session can be
 * read and written with the lane's events. Written and deleted by the bot runtime; the TTL is
 * renewed on each write, so an idle chat's session lapses.
 */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
