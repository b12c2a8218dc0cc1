import { EmulatorError, errorCodes } from "../errors.ts";
import { newGroupId, newRoomId, newUserId } from "../ids.ts";

/** The LINE users, groups and rooms the emulated bot can see. */
export interface User {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
  /** False after an unfollow (block); profile lookups then 404 and pushes are dropped. */
  isFriend: boolean;
}

export interface Group {
  groupId: string;
  groupName: string;
  memberIds: string[];
  /** False after a leave event; pushes to the group then fail as at LINE. */
  botIsMember: boolean;
}

export interface Room {
  roomId: string;
  memberIds: string[];
  botIsMember: boolean;
}

export type ChatRef =
  | { type: "user"; userId: string }
  | { type: "group"; groupId: string }
  | { type: "room"; roomId: string };

export class World {
  readonly users = new Map<string, User>();
  readonly groups = new Map<string, Group>();
  readonly rooms = new Map<string, Room>();

  addUser(input: { displayName: string; userId?: string; pictureUrl?: string }): User {
    const user: User = {
      userId: input.userId ?? newUserId(),
      displayName: input.displayName,
      isFriend: true,
      language: "en",
      ...(input.pictureUrl ? { pictureUrl: input.pictureUrl } : {}),
    };
    this.users.set(user.userId, user);
    return user;
  }

  addGroup(input: { groupName: string; memberIds: string[] }): Group {
    this.requireUsers(input.memberIds);
    const group: Group = {
      groupId: newGroupId(),
      groupName: input.groupName,
      memberIds: [...new Set(input.memberIds)],
      botIsMember: true,
    };
    this.groups.set(group.groupId, group);
    return group;
  }

  addRoom(input: { memberIds: string[] }): Room {
    this.requireUsers(input.memberIds);
    const room: Room = {
      roomId: newRoomId(),
      memberIds: [...new Set(input.memberIds)],
      botIsMember: true,
    };
    this.rooms.set(room.roomId, room);
    return room;
  }

  user(userId: string): User {
    const user = this.users.get(userId);
    if (!user) throw new EmulatorError(errorCodes.unknownUser, `unknown user ${userId}`);
    return user;
  }

  group(groupId: string): Group {
    const group = this.groups.get(groupId);
    if (!group) throw new EmulatorError(errorCodes.unknownChat, `unknown group ${groupId}`);
    return group;
  }

  room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new EmulatorError(errorCodes.unknownChat, `unknown room ${roomId}`);
    return room;
  }

  /** The group or room a chat is; undefined for a one-to-one chat. */
  holderOf(chat: ChatRef): Group | Room | undefined {
    if (chat.type === "group") return this.group(chat.groupId);
    if (chat.type === "room") return this.room(chat.roomId);
    return undefined;
  }

  /** Members of a group or room; the member list a chat's events may come from. */
  membersOf(chat: ChatRef): string[] {
    if (chat.type === "group") return this.group(chat.groupId).memberIds;
    if (chat.type === "room") return this.room(chat.roomId).memberIds;
    return [chat.userId];
  }

  snapshot() {
    return {
      users: [...this.users.values()].map((u) => ({ ...u })),
      groups: [...this.groups.values()].map((g) => ({ ...g, memberIds: [...g.memberIds] })),
      rooms: [...this.rooms.values()].map((r) => ({ ...r, memberIds: [...r.memberIds] })),
    };
  }

  private requireUsers(ids: readonly string[]) {
    if (ids.length === 0) {
      throw new EmulatorError(errorCodes.invalidInput, "memberIds must name at least one user");
    }
    for (const id of ids) this.user(id);
  }
}

export function chatRefId(chat: ChatRef): string {
  if (chat.type === "group") return chat.groupId;
  if (chat.type === "room") return chat.roomId;
  return chat.userId;
}
