import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { type EmulatorState, type EventInputData, eventKinds } from "@linefleet/emulator";
import type { ErrorCode } from "@linefleet/errors";
import type { ControlClient } from "./control-client.ts";

export type TriggerValues = Record<string, string | boolean | string[] | undefined>;

export class TriggerUsageError extends Error {
  readonly code = "LF_TRIGGER_USAGE" satisfies ErrorCode;
}

const mimeTypes: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".mp4": "video/mp4",
  ".m4a": "audio/x-m4a",
  ".mp3": "audio/mpeg",
  ".txt": "text/plain",
  ".pdf": "application/pdf",
};

const str = (values: TriggerValues, name: string) =>
  typeof values[name] === "string" ? (values[name] as string) : undefined;
const list = (values: TriggerValues, name: string) =>
  Array.isArray(values[name]) ? (values[name] as string[]) : [];

function number(values: TriggerValues, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new TriggerUsageError(`--${name} must be a number, got ${raw}`);
  return value;
}

/** Where the trigger says what it chose for the user (which user, a new one). */
export type Note = (message: string) => void;

/**
 * A user by id or display name, the name matched regardless of case (an exact match wins); a new
 * name creates the user, as typing a name in the UI would.
 */
async function resolveUser(
  client: ControlClient,
  state: EmulatorState,
  wanted: string | undefined,
  note: Note,
) {
  if (!wanted) {
    const first = state.users[0];
    if (!first) throw new TriggerUsageError("the emulator has no users; pass --user <name>");
    return first.userId;
  }
  const exact = state.users.find((u) => u.userId === wanted || u.displayName === wanted);
  if (exact) return exact.userId;
  const folded = wanted.toLocaleLowerCase();
  const alike = state.users.filter((u) => u.displayName.toLocaleLowerCase() === folded);
  const [first, ...more] = alike;
  if (first) {
    if (more.length > 0)
      throw new TriggerUsageError(
        `--user ${wanted} matches ${alike.length} users (${alike.map((u) => u.displayName).join(", ")}); pass the exact name or a user id`,
      );
    note(`user ${first.displayName} (${first.userId})`);
    return first.userId;
  }
  if (/^U[0-9a-f]{32}$/.test(wanted))
    throw new TriggerUsageError(`no user ${wanted} in the emulator`);
  const created = await client.post<{ userId: string }>("/emulator/users", { displayName: wanted });
  note(`created user ${wanted} (${created.userId})`);
  return created.userId;
}

async function resolveChat(
  client: ControlClient,
  state: EmulatorState,
  values: TriggerValues,
  userId: string,
): Promise<EventInputData["chat"]> {
  const group = str(values, "group");
  const room = str(values, "room");
  if (group) {
    const found = state.groups.find((g) => g.groupId === group || g.groupName === group);
    if (found) {
      if (!found.memberIds.includes(userId)) {
        throw new TriggerUsageError(`the user is not a member of ${group}`);
      }
      return { type: "group", groupId: found.groupId };
    }
    const created = await client.post<{ groupId: string }>("/emulator/groups", {
      groupName: group,
      memberIds: [userId],
    });
    return { type: "group", groupId: created.groupId };
  }
  if (room) return { type: "room", roomId: room };
  return { type: "user" };
}

function parseEmoji(spec: string) {
  const [index, length, productId, emojiId] = spec.split(":");
  if (!productId || !emojiId)
    throw new TriggerUsageError(`--emoji wants index:length:productId:emojiId, got ${spec}`);
  return { index: Number(index), length: Number(length), productId, emojiId };
}

/** `--kind` names the variant of the event: which input field that is, per event type. */
const kindFields: Record<string, string> = {
  beacon: "beaconType",
  membership: "membershipType",
  module: "moduleType",
};

/** The flags of videoPlayComplete, beacon, accountLink, membership, module, activated, delivery. */
function setEventFields(input: Record<string, unknown>, type: string, values: TriggerValues) {
  const set = (key: string, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };
  const kind = str(values, "kind");
  if (kind !== undefined) {
    const field = kindFields[type];
    if (!field) throw new TriggerUsageError(`--kind goes only with beacon, membership or module`);
    input[field] = kind;
  }
  set("trackingId", str(values, "tracking-id"));
  set("hwid", str(values, "hwid"));
  set("dm", str(values, "dm"));
  set("linkToken", str(values, "link-token"));
  set("nonce", str(values, "nonce"));
  set("membershipId", number(values, "membership-id"));
  set("botId", str(values, "bot-id"));
  const scopes = list(values, "scope");
  if (scopes.length > 0) input.scopes = scopes;
  set("expireAt", number(values, "expire-at"));
  set("deliveryData", str(values, "delivery-data"));
}

/** Turns command-line flags into a control API event input (`POST /emulator/events`). */
export async function buildEventInput(
  client: ControlClient,
  type: string,
  values: TriggerValues,
  note: Note = () => {},
): Promise<EventInputData> {
  const input: Record<string, unknown> = { type };
  // Events about the channel itself (module, botSuspended, botResumed) have no user or chat.
  if (eventKinds[type as keyof typeof eventKinds]?.source !== "none") {
    const state = await client.get<EmulatorState>("/emulator/state");
    const from = await resolveUser(client, state, str(values, "user"), note);
    input.from = from;
    input.chat = await resolveChat(client, state, values, from);
  }
  const set = (key: string, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };

  set("channel", str(values, "channel"));
  set("text", str(values, "text"));
  if (values.mention) input.mentionBot = true;
  set("quotedMessageId", str(values, "quote"));
  const emojis = list(values, "emoji").map(parseEmoji);
  if (emojis.length > 0) input.emojis = emojis;
  const file = str(values, "file");
  if (file) {
    input.contentBase64 = (await readFile(file)).toString("base64");
    set("contentType", str(values, "content-type") ?? mimeTypes[extname(file).toLowerCase()]);
    set("fileName", str(values, "file-name") ?? file.split(/[\\/]/).pop());
  } else {
    set("contentType", str(values, "content-type"));
    set("fileName", str(values, "file-name"));
  }
  set("duration", number(values, "duration"));
  set("latitude", number(values, "lat"));
  set("longitude", number(values, "lng"));
  set("title", str(values, "title"));
  set("address", str(values, "address"));
  set("packageId", str(values, "package"));
  set("stickerId", str(values, "sticker"));
  set("data", str(values, "data"));
  const params = list(values, "param").map((pair) => {
    const at = pair.indexOf("=");
    if (at < 1) throw new TriggerUsageError(`--param wants key=value, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
  if (params.length > 0) input.params = Object.fromEntries(params);
  if (values.unblocked) input.isUnblocked = true;
  const members = str(values, "members");
  if (members)
    input.memberIds = members
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
  set("messageId", str(values, "message-id"));
  setEventFields(input, type, values);

  const delivery: Record<string, unknown> = {};
  if (values.standby) delivery.mode = "standby";
  if (values.redeliver) delivery.redeliver = true;
  if (number(values, "duplicates") !== undefined)
    delivery.duplicates = number(values, "duplicates");
  if (number(values, "delay") !== undefined) delivery.delayMs = number(values, "delay");
  if (Object.keys(delivery).length > 0) input.delivery = delivery;
  return input as EventInputData;
}
