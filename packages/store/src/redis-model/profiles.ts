/**
 * Cached LINE user profiles (display name, picture, …), per bot and user: user IDs are shared by
 * a provider's channels, but a profile is fetched with one channel's token. Tagged by bot + user,
 * which is the lane of the user's 1:1 chat. Written on a cache miss; lapses by TTL only.
 */
export const PROFILE_TTL_SECONDS = 60 * 60;
