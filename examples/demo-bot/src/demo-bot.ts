import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { createBot } from "@linefleet/bot";
import { messageLogOf } from "./message-log.ts";
import { flexCard, help, plansMenu, sizeQuestion, sizes, withCommands } from "./messages.ts";
import { cancelReminder, REMIND, remind, subscribe, withNews } from "./reminders.ts";
import { signup } from "./signup.ts";

/** What the demo keeps per chat. */
export interface DemoSession {
  plan: "free" | "pro" | undefined;
  /** Set while the bot waits for the answer to "which size?". */
  ordering: boolean;
  coffees: number;
  /** The id of the chat's pending reminder (`remind me in 1 min`). */
  reminder?: string | undefined;
  /** Who signed up (the `signup` conversation). */
  member?: { name: string; age: number };
}

export interface DemoBotOptions {
  /** How long the `slow` command works (with the loading animation showing). Default 3 s. */
  slowMs?: number;
  /** The period of the recurring news job (`subscribe`); without it the job is not declared. */
  newsEveryMs?: number | undefined;
}

async function byteCount(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

const planNames = { free: "Free", pro: "Pro" } as const;

/** A bot that shows every capability of linefleet's bot API; `pnpm dev` runs it. */
export function createDemoBot(options: DemoBotOptions = {}) {
  const slowMs = options.slowMs ?? 3_000;
  return withNews(
    createBot({
      session: { initial: (): DemoSession => ({ plan: undefined, ordering: false, coffees: 0 }) },
    })
      // Middleware: keep every text (to forget it on unsend) and mark the chat read.
      .extend((ctx) => ({ messageLog: messageLogOf(ctx) }))
      .use(async (ctx, next) => {
        const { event } = ctx;
        if (event.type === "message" && event.message.type === "text") {
          await ctx.messageLog.remember(event.message.id, event.message.text);
          await ctx.markAsRead();
        }
        await next();
      })
      .on("follow", (ctx) =>
        ctx.reply(
          withCommands({
            type: "text",
            text: ctx.event.follow.isUnblocked ? `Welcome back!\n\n${help}` : help,
          }),
        ),
      )
      .on("join", (ctx) => ctx.reply("Hello everyone! Mention me and I answer."))
      .conversation("signup", signup)
      .onText("help", (ctx) => ctx.reply(withCommands({ type: "text", text: help })))
      .onText("signup", (ctx) => ctx.enter("signup"))
      .command("cancel", (ctx) => ctx.reply("Stopped. Say help to see what I do."), {
        prefixes: ["/"],
      })
      .onText("menu", (ctx) => ctx.reply(plansMenu))
      .onText("flex", (ctx) => ctx.reply(flexCard))
      .onText("order", (ctx) => {
        ctx.session.ordering = true;
        return ctx.reply(sizeQuestion);
      })
      .onText("slow", async (ctx) => {
        await ctx.showLoading(Math.ceil(slowMs / 1000) + 5);
        await sleep(slowMs);
        return ctx.reply("Done: that took a while.");
      })
      .onText("quote", (ctx) => ctx.quote("You said this."))
      .onText("profile", async (ctx) => {
        const profile = await ctx.getProfile();
        return ctx.reply(`You are ${profile.displayName}.`);
      })
      .onText("many", (ctx) =>
        ctx.reply(...Array.from({ length: 7 }, (_, i) => `Message ${i + 1} of 7`)),
      )
      // Rich menus (src/rich-menus.ts): a menu of the user's own wins over the default one.
      .onText("pin", async (ctx) => {
        await ctx.linkRichMenu("more");
        return ctx.reply("The More menu is yours now; say unpin to go back.");
      })
      .onText("unpin", async (ctx) => {
        await ctx.unlinkRichMenu();
        return ctx.reply("Back to the main menu.");
      })
      .onText(REMIND, (ctx, match) => remind(ctx, Number(match[1])))
      .onText("cancel reminder", (ctx) => cancelReminder(ctx))
      .onText("subscribe", (ctx) => subscribe(ctx, true))
      .onText("unsubscribe", (ctx) => subscribe(ctx, false))
      .onText(/^echo (.+)$/s, (ctx, match) => ctx.reply(match[1] ?? ""))
      .onText(async (ctx, text) => {
        if (ctx.session.ordering) {
          if (!sizes.includes(text)) return ctx.reply(sizeQuestion);
          ctx.session.ordering = false;
          ctx.session.coffees += 1;
          return ctx.reply(`One ${text} coffee coming up (coffee #${ctx.session.coffees}).`);
        }
        if (ctx.isMentioned) return ctx.reply("You called? Say help to see what I do.");
        // In groups, only answer when mentioned.
        if (ctx.event.source?.type !== "user") return undefined;
        return ctx.reply(text);
      })
      .onMessage("sticker", (ctx) =>
        ctx.reply({ type: "sticker", packageId: "446", stickerId: "1989" }),
      )
      .onMessage("image", async (ctx) => {
        const bytes = await byteCount(await ctx.getContent());
        return ctx.reply(`Image received: ${bytes} bytes.`);
      })
      // A large video or audio may still be prepared by LINE: getContent waits for it.
      .onMessage("video", async (ctx) => {
        const bytes = await byteCount(await ctx.getContent({ maxBytes: 200 * 1024 * 1024 }));
        return ctx.reply(`Video received: ${bytes} bytes.`);
      })
      .onMessage("location", (ctx, location) =>
        ctx.reply(
          `You are at ${location.title ?? "a place"}${location.address ? `, ${location.address}` : ""} (${location.latitude}, ${location.longitude}).`,
        ),
      )
      .onPostback({ key: "plan" }, (ctx, postback) => {
        if (postback.value !== "free" && postback.value !== "pro")
          return ctx.reply("No such plan.");
        ctx.session.plan = postback.value;
        return ctx.reply(
          withCommands({ type: "text", text: `You are on the ${planNames[postback.value]} plan.` }),
        );
      })
      .onPostback("action=start", (ctx, postback) => {
        const date = postback.params && "date" in postback.params ? postback.params.date : "?";
        return ctx.reply(`Your plan starts on ${date}.`);
      })
      // A richmenuswitch area switched the menu; LINE tells the bot with a postback.
      .onPostback({ key: "menu" }, (ctx, postback) =>
        ctx.log.info({ menu: postback.value, params: postback.params }, "rich menu switched"),
      )
      .onUnsend(async (ctx, messageId) => {
        const forgotten = await ctx.messageLog.forget(messageId);
        ctx.log.info({ messageId, forgotten }, "unsent message forgotten");
      })
      .fallback((ctx) => ctx.log.info({ type: ctx.event.type }, "no handler for this event")),
    options.newsEveryMs,
  );
}
