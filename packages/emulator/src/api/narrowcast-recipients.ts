import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import { invalidBody } from "../errors.ts";

type Recipient = Record<string, unknown>;

/**
 * Who a narrowcast reaches: the channel's friends, narrowed by `recipient` as LINE defines it
 * (an audience, the recipients of an earlier request, or `operator` with `and`/`or`/`not`).
 * Demographic `filter`s are not applied: emulated users have no age, gender or region.
 */
export function narrowcastRecipients(
  platform: Platform,
  channel: EmulatedChannel,
  recipient: unknown,
): string[] {
  const friends = [...platform.world.users.values()].filter((u) => u.isFriend).map((u) => u.userId);
  if (recipient === undefined || recipient === null) return friends;
  const everyone = new Set(friends);

  const evaluate = (node: unknown, at: string): Set<string> => {
    const object = (typeof node === "object" && node !== null ? node : {}) as Recipient;
    switch (object.type) {
      case "audience": {
        const audience = platform.audiences.of(channel.name).get(Number(object.audienceGroupId));
        if (!audience) {
          throw invalidBody([
            { message: "Audience group not found", property: `${at}.audienceGroupId` },
          ]);
        }
        return new Set([...audience.members].filter((id) => everyone.has(id)));
      }
      case "redelivery": {
        const send = platform.traffic.byRequestId(channel.name, String(object.requestId));
        if (!send) {
          throw invalidBody([{ message: "Request id not found", property: `${at}.requestId` }]);
        }
        return new Set(send.recipients.filter((id) => everyone.has(id)));
      }
      case "operator": {
        if (Array.isArray(object.and)) {
          const sets = object.and.map((child, i) => evaluate(child, `${at}.and[${i}]`));
          return new Set([...everyone].filter((id) => sets.every((set) => set.has(id))));
        }
        if (Array.isArray(object.or)) {
          const sets = object.or.map((child, i) => evaluate(child, `${at}.or[${i}]`));
          return new Set(sets.flatMap((set) => [...set]));
        }
        if (object.not !== undefined) {
          const excluded = evaluate(object.not, `${at}.not`);
          return new Set([...everyone].filter((id) => !excluded.has(id)));
        }
        throw invalidBody([{ message: "Must have and, or or not", property: at }]);
      }
      default:
        throw invalidBody([
          { message: "Must be one of audience, redelivery, operator", property: `${at}.type` },
        ]);
    }
  };
  const chosen = evaluate(recipient, "recipient");
  return friends.filter((id) => chosen.has(id));
}
