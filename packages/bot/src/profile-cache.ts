import type { LineClient } from "@linefleet/line-client";
import { toLineApiError } from "@linefleet/line-client";
import type { EventSource } from "@linefleet/webhook";
import { ContextUsageError } from "./errors.ts";
import type { Profile } from "./profile.ts";
import type { BotStorage } from "./storage.ts";

/**
 * The profile of the event's user: from the storage while cached, else from LINE (the group or
 * room member profile inside those chats, which also works for users who are not friends).
 */
export async function cachedProfile(
  storage: BotStorage,
  destination: string,
  source: EventSource | undefined,
  line: LineClient,
): Promise<Profile> {
  const userId = source?.userId;
  if (!userId) throw new ContextUsageError("this event has no user, so no profile");
  const cached = await storage.loadProfile(destination, userId);
  if (cached) return cached;
  let profile: Profile;
  try {
    if (source.type === "group" && source.groupId) {
      profile = await line.api.getGroupMemberProfile(source.groupId, userId);
    } else if (source.type === "room" && source.roomId) {
      profile = await line.api.getRoomMemberProfile(source.roomId, userId);
    } else {
      profile = await line.api.getProfile(userId);
    }
  } catch (error) {
    throw toLineApiError(error);
  }
  await storage.saveProfile(destination, userId, profile);
  return profile;
}
