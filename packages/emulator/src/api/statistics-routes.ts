import type { EmulatedChannel } from "../core/channels.ts";
import { isDay, jstDay, jstMonthStart } from "../core/jst-date.ts";
import type { Platform } from "../core/platform.ts";
import type { SendKind, SendRecord } from "../core/traffic.ts";
import { LineErrorResponse } from "../errors.ts";
import { continuationPage } from "./paging.ts";
import type { Route } from "./route.ts";

/** LINE began counting sent messages on this day; earlier dates are `out_of_service`. */
const FIRST_COUNTED_DAY = "20180331";

function dayParameter(query: URLSearchParams, name: string, required = true): string | undefined {
  const value = query.get(name);
  if (value === null && !required) return undefined;
  if (value === null || !isDay(value)) {
    throw new LineErrorResponse(400, `The value for the '${name}' parameter is invalid`);
  }
  return value;
}

/** Messages delivered: each message of a send counts once per recipient, as LINE counts them. */
const delivered = (sends: readonly SendRecord[]) =>
  sends.reduce((sum, send) => sum + send.messages.length * send.recipients.length, 0);

function sendsOn(platform: Platform, channel: EmulatedChannel, day: string, kind?: SendKind) {
  return platform.traffic
    .of(channel.name)
    .filter((send) => jstDay(send.at) === day && (kind === undefined || send.kind === kind));
}

/**
 * A day's status. LINE publishes a day's figures about a day after it ends; the emulator counts as
 * it goes, so today is `ready` with the figures so far, and only future days are `unready`.
 */
function dayStatus(platform: Platform, day: string) {
  if (day < FIRST_COUNTED_DAY) return "out_of_service" as const;
  if (day > jstDay(platform.now())) return "unready" as const;
  return "ready" as const;
}

function sentCount(operationId: string, pattern: string, kind: SendKind): Route {
  return {
    operationId,
    method: "GET",
    pattern,
    behaviour: "computed",
    handle({ platform, channel, query }) {
      const day = dayParameter(query, "date") as string;
      const status = dayStatus(platform, day);
      return {
        body:
          status === "ready"
            ? { status, success: delivered(sendsOn(platform, channel, day, kind)) }
            : { status },
      };
    },
  };
}

/** Aggregation units named in this UTC+9 month's pushes and multicasts, first use first. */
function unitsThisMonth(platform: Platform, channel: EmulatedChannel): string[] {
  const monthStart = jstMonthStart(platform.now());
  const units = platform.traffic
    .of(channel.name)
    .filter((send) => jstDay(send.at) >= monthStart)
    .flatMap((send) => send.aggregationUnits);
  return [...new Set(units)];
}

/** Per-message interaction figures: impressions, plays and clicks are not observed locally. */
function messageFigures(messages: readonly unknown[]) {
  return messages.map((_message, i) => ({
    seq: i + 1,
    impression: null,
    mediaPlayed: null,
    mediaPlayed25Percent: null,
    mediaPlayed50Percent: null,
    mediaPlayed75Percent: null,
    mediaPlayed100Percent: null,
    uniqueMediaPlayed: null,
    uniqueMediaPlayed25Percent: null,
    uniqueMediaPlayed50Percent: null,
    uniqueMediaPlayed75Percent: null,
    uniqueMediaPlayed100Percent: null,
  }));
}

function period(query: URLSearchParams, maxDays: number) {
  const from = dayParameter(query, "from") as string;
  const to = dayParameter(query, "to") as string;
  const days = (Date.parse(isoOf(to)) - Date.parse(isoOf(from))) / 86_400_000;
  if (days < 0 || days > maxDays) {
    throw new LineErrorResponse(400, "The value for the 'to' parameter is invalid");
  }
  return { from, to };
}

const isoOf = (day: string) => `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;

function richMenuInsight(operationId: string, pattern: string): Route {
  return {
    operationId,
    method: "GET",
    pattern,
    behaviour: "computed",
    handle({ platform, channel, params, query }) {
      const richMenuId = params.richMenuId ?? "";
      if (!platform.richMenus.of(channel.name).menus.has(richMenuId)) {
        throw new LineErrorResponse(404, "richmenu not found");
      }
      period(query, 396);
      // No tap on a rich menu is recorded, which LINE reports as below its privacy threshold:
      // the rich menu id alone.
      return { body: { richMenuId } };
    },
  };
}

/** What LINE reports as statistics, computed from the emulator's own traffic. */
export const statisticsRoutes: Route[] = [
  sentCount("getNumberOfSentReplyMessages", "/v2/bot/message/delivery/reply", "reply"),
  sentCount("getNumberOfSentPushMessages", "/v2/bot/message/delivery/push", "push"),
  sentCount("getNumberOfSentMulticastMessages", "/v2/bot/message/delivery/multicast", "multicast"),
  sentCount("getNumberOfSentBroadcastMessages", "/v2/bot/message/delivery/broadcast", "broadcast"),
  sentCount("getPNPMessageStatistics", "/v2/bot/message/delivery/pnp", "pnp"),
  {
    operationId: "getAggregationUnitUsage",
    method: "GET",
    pattern: "/v2/bot/message/aggregation/info",
    behaviour: "computed",
    handle: ({ platform, channel }) => ({
      body: { numOfCustomAggregationUnits: unitsThisMonth(platform, channel).length },
    }),
  },
  {
    operationId: "getAggregationUnitNameList",
    method: "GET",
    pattern: "/v2/bot/message/aggregation/list",
    behaviour: "computed",
    handle({ platform, channel, query }) {
      const page = continuationPage(unitsThisMonth(platform, channel), query, {
        default: 100,
        max: 100,
      });
      return {
        body: { customAggregationUnits: page.items, ...(page.next ? { next: page.next } : {}) },
      };
    },
  },
  {
    operationId: "getNumberOfMessageDeliveries",
    method: "GET",
    pattern: "/v2/bot/insight/message/delivery",
    behaviour: "computed",
    handle({ platform, channel, query }) {
      const day = dayParameter(query, "date") as string;
      const status = dayStatus(platform, day);
      if (status !== "ready") return { body: { status } };
      const count = (kind: SendKind) => delivered(sendsOn(platform, channel, day, kind));
      return {
        body: {
          status,
          // Sent from LINE Official Account Manager, which the emulator does not have.
          broadcast: 0,
          targeting: 0,
          autoResponse: 0,
          welcomeResponse: 0,
          chat: 0,
          apiBroadcast: count("broadcast"),
          apiPush: count("push"),
          apiMulticast: count("multicast"),
          apiNarrowcast: count("narrowcast"),
          apiReply: count("reply"),
        },
      };
    },
  },
  {
    operationId: "getNumberOfFollowers",
    method: "GET",
    pattern: "/v2/bot/insight/followers",
    behaviour: "computed",
    handle({ platform, query }) {
      const day = dayParameter(query, "date", false) ?? jstDay(platform.now());
      const status = dayStatus(platform, day);
      if (status !== "ready") return { body: { status } };
      // Today's world stands for every day: the emulator does not keep a history of follows.
      const users = [...platform.world.users.values()];
      const friends = users.filter((user) => user.isFriend).length;
      return {
        body: {
          status,
          followers: users.length,
          targetedReaches: friends,
          blocks: users.length - friends,
        },
      };
    },
  },
  {
    operationId: "getFriendsDemographics",
    method: "GET",
    pattern: "/v2/bot/insight/demographic",
    behaviour: "computed",
    // Emulated users have no gender, age, area or app type: LINE's answer when it cannot say.
    handle: () => ({ body: { available: false } }),
  },
  {
    operationId: "getMessageEvent",
    method: "GET",
    pattern: "/v2/bot/insight/message/event",
    behaviour: "computed",
    handle({ platform, channel, query }) {
      const requestId = query.get("requestId");
      if (!requestId)
        throw new LineErrorResponse(400, "The value for the 'requestId' parameter is invalid");
      const send = platform.traffic.byRequestId(channel.name, requestId);
      const counted = send && (send.kind === "broadcast" || send.kind === "narrowcast");
      return {
        body: {
          overview: {
            requestId,
            timestamp: counted ? Math.floor(send.at / 1000) : 0,
            delivered: counted ? send.recipients.length : 0,
            uniqueImpression: null,
            uniqueClick: null,
            uniqueMediaPlayed: null,
            uniqueMediaPlayed100Percent: null,
          },
          messages: counted ? messageFigures(send.messages) : [],
          clicks: [],
        },
      };
    },
  },
  {
    operationId: "getStatisticsPerUnit",
    method: "GET",
    pattern: "/v2/bot/insight/message/event/aggregation",
    behaviour: "computed",
    handle({ platform, channel, query }) {
      const unit = query.get("customAggregationUnit") ?? "";
      if (!/^[a-zA-Z0-9_]{1,30}$/.test(unit)) {
        throw new LineErrorResponse(
          400,
          "The value for the 'customAggregationUnit' parameter is invalid",
        );
      }
      const { from, to } = period(query, 30);
      const sends = platform.traffic
        .of(channel.name)
        .filter(
          (send) =>
            send.aggregationUnits.includes(unit) &&
            jstDay(send.at) >= from &&
            jstDay(send.at) <= to,
        );
      const longest = Math.max(0, ...sends.map((send) => send.messages.length));
      return {
        body: {
          overview: {
            uniqueImpression: null,
            uniqueClick: null,
            uniqueMediaPlayed: null,
            uniqueMediaPlayed100Percent: null,
          },
          messages: messageFigures(Array.from({ length: longest })).map((figures) => ({
            ...figures,
            uniqueImpression: null,
          })),
          clicks: [],
        },
      };
    },
  },
  richMenuInsight("getRichMenuInsightSummary", "/v2/bot/insight/richmenu/{richMenuId}/summary"),
  richMenuInsight("getRichMenuInsightDaily", "/v2/bot/insight/richmenu/{richMenuId}/daily"),
];
