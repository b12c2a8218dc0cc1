import type { Bot, BotContext, RecurringContext } from "@linefleet/bot";
// `ctx.redis` and `ctx.keyPrefix` are the services linefleet's workers add to every context.
import type {} from "@linefleet/delivery";
import { redisKeys } from "@linefleet/store";

/** What the demo keeps of a chat's reminder: the id `cancelLater` takes. */
interface ReminderSession {
  reminder?: string | undefined;
}

/** `remind me in 1 min` (any number of minutes; at most a day). */
export const REMIND = /^remind me in (\d+) min(?:ute)?s?$/i;

/** Schedules the reminder: a push later, kept in Redis, sent once even if workers come and go. */
export async function remind(ctx: BotContext<unknown, ReminderSession>, minutes: number) {
  if (minutes < 1 || minutes > 24 * 60) return ctx.reply("Between 1 and 1440 minutes, please.");
  const { id } = await ctx.pushLater(
    minutes * 60_000,
    `⏰ Reminder: you asked me ${minutes} min ago.`,
  );
  ctx.session.reminder = id;
  const time = new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);
  return ctx.reply(`OK, I will remind you at ${time} UTC. Say "cancel reminder" to cancel it.`);
}

export async function cancelReminder(ctx: BotContext<unknown, ReminderSession>) {
  const { status } = ctx.session.reminder
    ? await ctx.cancelLater(ctx.session.reminder)
    : { status: "unknown" as const };
  ctx.session.reminder = undefined;
  const said = {
    cancelled: "Reminder cancelled.",
    too_late: "Too late: it was sent already.",
    unknown: "You have no reminder.",
  };
  return ctx.reply(said[status]);
}

/** `subscribe` / `unsubscribe`: the chats the recurring news job pushes to (a Redis set). */
export async function subscribe(ctx: BotContext<unknown, unknown>, on: boolean) {
  const key = redisKeys(ctx.keyPrefix).demoSubscribers();
  if (!ctx.chatId) return undefined;
  if (on) await ctx.redis.sadd(key, ctx.chatId);
  else await ctx.redis.srem(key, ctx.chatId);
  return ctx.reply(on ? "Subscribed to the news." : "Unsubscribed.");
}

/**
 * Declares the recurring news job when a period is given (DEMO_NEWS_EVERY_MS): off by default,
 * since a recurring job runs in every deployment of the bot.
 */
// biome-ignore lint/suspicious/noExplicitAny: any bot, whatever its session and middleware types
export function withNews<B extends Bot<any, any>>(bot: B, everyMs: number | undefined): B {
  if (everyMs) bot.every("demo-news", { everyMs }, pushNews);
  return bot;
}

/** The recurring job: one news push per tick to every subscribed chat, once fleet-wide. */
async function pushNews(ctx: RecurringContext) {
  const chats = await ctx.redis.smembers(redisKeys(ctx.keyPrefix).demoSubscribers());
  const time = new Date(ctx.tick.at).toISOString().slice(11, 16);
  for (const chat of chats) await ctx.push(chat, `📰 News of ${time} UTC: all systems go.`);
  ctx.log.info({ chats: chats.length }, "news pushed");
}
