import type { EmulatedChannel } from "../core/channels.ts";
import type { Platform } from "../core/platform.ts";
import { invalidBody, LineErrorResponse } from "../errors.ts";
import { sendPlatformEvent } from "../events/platform-events.ts";
import type { WebhookDispatcher } from "../webhook/dispatcher.ts";
import { objectBody } from "./body.ts";
import { continuationPage } from "./paging.ts";
import type { Route } from "./route.ts";

const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 365 * 24 * 3600;

const notAvailable = () =>
  new LineErrorResponse(403, "Access to this API is not available for your account");

/**
 * The bot a module's call is about. LINE knows it from the chat; here a module attached to several
 * emulated bots acts on the first one whose users, groups or rooms include the chat.
 */
function attachedBot(platform: Platform, module: EmulatedChannel, chatId: string): string {
  const bots = platform.modules.botsOf(module.name);
  if (bots.length === 0) throw notAvailable();
  const world = platform.world;
  const known = world.users.has(chatId) || world.groups.has(chatId) || world.rooms.has(chatId);
  if (!known) throw new LineErrorResponse(404, "Not found");
  return bots[0] as string;
}

/**
 * `code` stands for the consent LINE's authorization screen would give: the emulator has no such
 * screen, so the code names the emulated channel to attach to (its name, bot user id or basic id).
 */
function channelForCode(platform: Platform, code: string): EmulatedChannel | undefined {
  return platform.channels
    .list()
    .find((c) => c.name === code || c.bot.userId === code || c.bot.basicId === code);
}

/** Module attach, detach and chat control; LINE tells the module channel of each change. */
export const moduleRoutes = (dispatcher: WebhookDispatcher): Route[] => [
  {
    operationId: "attachModule",
    method: "POST",
    pattern: "/module/auth/v1/token",
    handle({ platform, channel, body }) {
      const form = objectBody(body ?? {});
      if (form.grant_type !== "authorization_code") {
        throw new LineErrorResponse(400, "Invalid 'grant_type'.");
      }
      if (typeof form.redirect_uri !== "string" || form.redirect_uri === "") {
        throw new LineErrorResponse(400, "'redirect_uri' is required");
      }
      const bot = channelForCode(platform, String(form.code ?? ""));
      if (!bot || bot === channel) throw new LineErrorResponse(400, "Invalid 'code'.");
      platform.modules.attach(channel.name, bot.name);
      platform.announceState();
      const scopes = ["message:send", "message:receive"];
      sendPlatformEvent(platform, dispatcher, channel.name, {
        type: "module",
        botId: bot.bot.userId,
        scopes,
      });
      return { body: { bot_id: bot.bot.userId, scopes } };
    },
  },
  {
    operationId: "detachModule",
    method: "POST",
    pattern: "/v2/bot/channel/detach",
    handle({ platform, channel, body }) {
      const botId = objectBody(body ?? {}).botId;
      const bot = platform.channels.list().find((c) => c.bot.userId === botId);
      if (!bot || !platform.modules.botsOf(channel.name).includes(bot.name)) {
        throw invalidBody([
          { message: "The module is not attached to this bot", property: "botId" },
        ]);
      }
      platform.modules.detach(channel.name, bot.name);
      platform.announceState();
      return { body: {} };
    },
  },
  {
    operationId: "acquireChatControl",
    method: "POST",
    pattern: "/v2/bot/chat/{chatId}/control/acquire",
    handle({ platform, channel, params, body }) {
      const chatId = params.chatId ?? "";
      const bot = attachedBot(platform, channel, chatId);
      const request = body === undefined ? {} : objectBody(body);
      const expired = request.expired !== false;
      const ttl = request.ttl ?? DEFAULT_TTL_SECONDS;
      if (!Number.isInteger(ttl) || (ttl as number) < 1 || (ttl as number) > MAX_TTL_SECONDS) {
        throw invalidBody([{ message: "Must be between 1 and 31536000", property: "ttl" }]);
      }
      const expiresAt = expired ? platform.now() + (ttl as number) * 1000 : undefined;
      platform.modules.acquire(bot, chatId, { module: channel.name, expiresAt });
      platform.announceState();
      // Control that never expires still needs an expireAt in the event: the longest TTL stands in.
      sendPlatformEvent(platform, dispatcher, channel.name, {
        type: "activated",
        chatId,
        expireAt: expiresAt ?? platform.now() + MAX_TTL_SECONDS * 1000,
      });
      return { body: {} };
    },
  },
  {
    operationId: "releaseChatControl",
    method: "POST",
    pattern: "/v2/bot/chat/{chatId}/control/release",
    handle({ platform, channel, params }) {
      const chatId = params.chatId ?? "";
      const bot = attachedBot(platform, channel, chatId);
      // Only a module that had the chat goes to standby, and hears of it.
      const wasActive = platform.modules.controllerOf(bot, chatId, platform.now()) === channel.name;
      platform.modules.release(bot, chatId, channel.name);
      platform.announceState();
      if (wasActive)
        sendPlatformEvent(platform, dispatcher, channel.name, { type: "deactivated", chatId });
      return { body: {} };
    },
  },
  {
    operationId: "getModules",
    method: "GET",
    pattern: "/v2/bot/list",
    handle({ platform, channel, query }) {
      const bots = platform.modules.botsOf(channel.name).map((name) => {
        const bot = platform.channels.get(name).bot;
        return { userId: bot.userId, basicId: bot.basicId, displayName: bot.displayName };
      });
      const page = continuationPage(bots, query, { default: 100, max: 100 });
      return { body: { bots: page.items, ...(page.next ? { next: page.next } : {}) } };
    },
  },
];
