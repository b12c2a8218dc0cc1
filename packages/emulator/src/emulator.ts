import { fileURLToPath } from "node:url";
import { z } from "zod";
import { lineRouteTable } from "./api/line-routes.ts";
import { createOAuthHandler } from "./api/oauth.ts";
import { createApiHandler } from "./api/pipeline.ts";
import { type ChannelOptions, type EmulatorOptions, resolveConfig } from "./config.ts";
import { Channels, type EmulatedChannel } from "./core/channels.ts";
import { faultInputSchema } from "./core/faults.ts";
import { Platform } from "./core/platform.ts";
import type { ChannelInfo, Emulator, SentEvent } from "./emulator-types.ts";
import { EmulatorError, errorCodes } from "./errors.ts";
import { buildEvent } from "./events/build-event.ts";
import { eventBatchInputSchema, eventInputSchema } from "./events/event-input.ts";
import { loopbackHostNames } from "./http/request-guard.ts";
import { buildServer } from "./http/server.ts";
import { newChannelId, newUserId } from "./ids.ts";
import { untilActivity } from "./until-activity.ts";
import { warmSendValidators } from "./validation/spec-validators.ts";
import { WebhookDispatcher } from "./webhook/dispatcher.ts";

const defaultUiDir = fileURLToPath(new URL("../ui/", import.meta.url));

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success)
    throw new EmulatorError(errorCodes.invalidInput, z.prettifyError(result.error));
  return result.data;
}

const configPatchSchema = z.object({
  webhookUrl: z.url().optional(),
  replyTokenTtlMs: z.number().int().min(0).optional(),
  webhookTimeoutMs: z.number().int().min(1).optional(),
  redelivery: z
    .object({
      enabled: z.boolean().optional(),
      delaysMs: z.array(z.number().int().min(0)).optional(),
    })
    .optional(),
  rateLimits: z
    .record(
      z.string(),
      z.union([
        z.number().positive(),
        z.object({ limit: z.number().int().min(1), perMs: z.number().int().min(1) }),
      ]),
    )
    .optional(),
  messageQuota: z.number().int().min(0).nullable().optional(),
  narrowcastSendingMs: z.number().int().min(0).optional(),
  tokenLifetimeMs: z.number().int().min(1000).nullable().optional(),
  channels: z.record(z.string(), z.object({ webhookUrl: z.url().optional() })).optional(),
});

const sendKindSchema = z.enum(["reply", "push", "multicast", "broadcast", "narrowcast", "pnp"]);

const userInputSchema = z.object({
  displayName: z.string().min(1),
  pictureUrl: z.url().optional(),
});
const groupInputSchema = z.object({
  groupName: z.string().min(1),
  memberIds: z.array(z.string()).min(1),
});
const roomInputSchema = z.object({ memberIds: z.array(z.string()).min(1) });
const membershipPlanSchema = z.object({
  channel: z.string().optional(),
  title: z.string().min(1),
  description: z.string().default(""),
  benefits: z.array(z.string().min(1)).min(1),
  price: z.number().nonnegative(),
  currency: z.enum(["JPY", "TWD", "THB"]).default("JPY"),
  memberLimit: z.number().int().positive().nullable().default(null),
  isInAppPurchase: z.boolean().default(false),
  isPublished: z.boolean().default(true),
});
const membershipJoinSchema = z.object({
  channel: z.string().optional(),
  membershipId: z.number().int(),
  userId: z.string(),
});

/** Creates an emulated LINE channel: Messaging API, webhook sender, control API and chat UI. */
export function createEmulator(options: EmulatorOptions): Emulator {
  const platform = new Platform({
    channels: new Channels([
      emulatedChannel({
        name: options.channelName ?? "default",
        channelSecret: options.channelSecret,
        channelAccessToken: options.channelAccessToken,
        ...(options.channelId ? { channelId: options.channelId } : {}),
        ...(options.assertionKeys ? { assertionKeys: options.assertionKeys } : {}),
        bot: {
          userId: options.bot?.userId ?? newUserId(),
          displayName: options.bot?.displayName ?? "Emulated Bot",
          basicId: options.bot?.basicId ?? "@000emu00",
        },
      }),
      ...(options.channels ?? []).map(emulatedChannel),
    ]),
    config: resolveConfig(options),
    now: options.now ?? Date.now,
  });
  for (const user of options.users ?? [{ displayName: "Alice" }]) platform.world.addUser(user);

  const dispatcher = new WebhookDispatcher(platform);
  const routeTable = lineRouteTable(dispatcher);
  const handleApiRequest = createApiHandler(platform);
  const handleOAuthRequest = createOAuthHandler(platform);
  let url = "";
  const allowedHosts = new Set<string>([
    ...loopbackHostNames,
    ...(options.allowedHosts ?? []).map(asHostName),
  ]);

  const emulator: Emulator = {
    get url() {
      if (!url) throw new Error("the emulator is not listening; call listen() first");
      return url;
    },
    channelSecret: platform.channelSecret,
    channelAccessToken: platform.channelAccessToken,
    bot: platform.bot,
    channels: () => platform.channels.list().map((channel) => channelInfo(platform, channel)),
    channel: (name) => channelInfo(platform, platform.channels.get(name)),

    async listen({ port = 0, host = "127.0.0.1" } = {}) {
      allowedHosts.add(asHostName(host));
      // The validators of the calls every bot makes are compiled now, not on the first call: a
      // first reply would otherwise stall the emulator for a moment and bunch the calls behind it.
      warmSendValidators();
      await server.listen({ port, host });
      const address = server.server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      url = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
      return url;
    },
    async close() {
      dispatcher.stop();
      await server.close();
    },
    state: () => platform.state(),
    addUser(input) {
      const user = platform.world.addUser({
        ...parseInput(userInputSchema, input),
        userId: newUserId(),
      });
      platform.announceState();
      return user;
    },
    addGroup(input) {
      const group = platform.world.addGroup(parseInput(groupInputSchema, input));
      platform.announceState();
      return group;
    },
    addRoom(input) {
      const room = platform.world.addRoom(parseInput(roomInputSchema, input));
      platform.announceState();
      return room;
    },
    sendEvent(input) {
      const parsed = parseInput(eventInputSchema, input);
      const built = buildEvent(platform, parsed, parsed.delivery?.mode ?? "active");
      platform.channels.get(parsed.channel);
      const deliveryId = dispatcher.dispatch([built.event], parsed.delivery, parsed.channel);
      const sent: SentEvent = {
        webhookEventId: built.event.webhookEventId,
        timestamp: Number(built.event.timestamp),
        deliveryId,
      };
      if (built.replyToken) sent.replyToken = built.replyToken;
      if (built.messageId) sent.messageId = built.messageId;
      platform.announceState();
      return sent;
    },
    sendEvents(input) {
      const parsed = parseInput(eventBatchInputSchema, input);
      const mode = parsed.delivery?.mode ?? "active";
      platform.channels.get(parsed.channel);
      const built = parsed.events.map((event) =>
        buildEvent(platform, { ...event, channel: parsed.channel }, mode),
      );
      const deliveryId = dispatcher.dispatch(
        built.map((b) => b.event),
        parsed.delivery,
        parsed.channel,
      );
      platform.announceState();
      return {
        deliveryId,
        events: built.map((b) => ({
          webhookEventId: b.event.webhookEventId,
          timestamp: Number(b.event.timestamp),
          ...(b.replyToken ? { replyToken: b.replyToken } : {}),
          ...(b.messageId ? { messageId: b.messageId } : {}),
        })),
      };
    },
    async verify(channel) {
      const outcome = await dispatcher.verify(undefined, channel);
      return { status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) };
    },
    messages: (chatId) => platform.activity.messages(chatId),
    waitForBotMessages(chatId, { count = 1, timeoutMs = 5_000 } = {}) {
      return untilActivity(
        emulator.subscribe,
        () => {
          const fromBot = platform.activity.messages(chatId).filter((m) => m.from === "bot");
          return fromBot.length >= count ? fromBot : undefined;
        },
        timeoutMs,
        `${count} bot message(s) in ${chatId}`,
      );
    },
    deliveries: () => [...platform.activity.deliveries],
    waitForDeliveries(match, { count = 1, timeoutMs = 5_000 } = {}) {
      return untilActivity(
        emulator.subscribe,
        () => {
          const found = platform.activity.deliveries.filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} matching webhook delivery attempt(s)`,
      );
    },
    deliveryDone: (deliveryId) => dispatcher.done(deliveryId),
    apiCalls: () => [...platform.activity.apiCalls],
    recipientCounts: (kind) =>
      platform.traffic.recipientCounts(
        kind === undefined ? undefined : parseInput(sendKindSchema, kind),
      ),
    addMembershipPlan(input) {
      const { channel, ...plan } = parseInput(membershipPlanSchema, input);
      return platform.memberships.addPlan(platform.channels.get(channel).name, plan);
    },
    joinMembership(input) {
      const { channel, membershipId, userId } = parseInput(membershipJoinSchema, input);
      platform.world.user(userId);
      return platform.memberships
        .of(platform.channels.get(channel).name)
        .join(membershipId, userId, platform.now());
    },
    richMenuOf(userId, channelName) {
      const menus = platform.richMenus.of(platform.channels.get(channelName).name);
      const shown = menus.shownTo(userId);
      if (!shown) return null;
      const { image: _image, ...menu } = shown.menu;
      return { ...menu, source: shown.source };
    },
    richMenuImage(richMenuId, channelName) {
      const menus = platform.richMenus.of(platform.channels.get(channelName).name);
      const image = menus.menus.get(richMenuId)?.image;
      return image ? { bytes: image.bytes, contentType: image.contentType } : null;
    },
    switchRichMenu(userId, richMenuAliasId, channelName) {
      platform.world.user(userId);
      const menus = platform.richMenus.of(platform.channels.get(channelName).name);
      const status = menus.switchTo(userId, richMenuAliasId);
      if (status === "SUCCESS") platform.announceState();
      return { status };
    },
    addFault(input) {
      return { id: platform.faults.add(parseInput(faultInputSchema, input)).id };
    },
    clearFaults: () => platform.faults.clear(),
    config: () => structuredClone(platform.config),
    configure(patch) {
      const parsed = parseInput(configPatchSchema, patch);
      const config = platform.config;
      if (parsed.webhookUrl !== undefined) config.webhookUrl = parsed.webhookUrl;
      if (parsed.replyTokenTtlMs !== undefined) config.replyTokenTtlMs = parsed.replyTokenTtlMs;
      if (parsed.webhookTimeoutMs !== undefined) config.webhookTimeoutMs = parsed.webhookTimeoutMs;
      if (parsed.redelivery) config.redelivery = { ...config.redelivery, ...parsed.redelivery };
      if (parsed.tokenLifetimeMs !== undefined) {
        config.tokenLifetimeMs = parsed.tokenLifetimeMs ?? undefined;
      }
      for (const [name, patch] of Object.entries(parsed.channels ?? {})) {
        const channel = platform.channels.get(name);
        if (patch.webhookUrl !== undefined) channel.webhookUrl = patch.webhookUrl;
      }
      if (parsed.narrowcastSendingMs !== undefined) {
        config.narrowcastSendingMs = parsed.narrowcastSendingMs;
      }
      if (parsed.messageQuota !== undefined) {
        config.messageQuota = parsed.messageQuota ?? undefined;
      }
      if (parsed.rateLimits) {
        config.rateLimits = parsed.rateLimits;
        platform.rateLimiter.clear();
      }
      platform.announceState();
      return structuredClone(config);
    },
    reset: () => platform.reset(),
    subscribe: (listener) => platform.activity.subscribe(listener),
  };

  const server = buildServer({
    emulator,
    routeTable: routeTable.entries,
    handleApiRequest,
    handleOAuthRequest,
    uiDir: options.uiDir ?? defaultUiDir,
    allowedHosts: () => allowedHosts,
  });
  return emulator;
}

/** A name as it appears in a `Host` header: lower case, an IPv6 address in brackets. */
function asHostName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

function emulatedChannel(options: ChannelOptions): EmulatedChannel {
  return {
    name: options.name,
    channelId: options.channelId ?? newChannelId(),
    channelSecret: options.channelSecret,
    channelAccessToken: options.channelAccessToken,
    bot: {
      userId: options.bot?.userId ?? newUserId(),
      displayName: options.bot?.displayName ?? `${options.name} bot`,
      basicId: options.bot?.basicId ?? "@000emu00",
    },
    webhookUrl: options.webhookUrl,
    assertionKeys: { ...options.assertionKeys },
  };
}

function channelInfo(platform: Platform, channel: EmulatedChannel): ChannelInfo {
  return {
    name: channel.name,
    channelId: channel.channelId,
    channelSecret: channel.channelSecret,
    channelAccessToken: channel.channelAccessToken,
    bot: { ...channel.bot },
    webhookUrl: platform.webhookUrlOf(channel.name),
  };
}
