import { createBot } from "@linefleet/bot";

const drinks = ["Coffee", "Tea"];

export const bot = createBot({ session: { initial: () => ({ count: 0 }) } })
  // A quick reply: buttons under the message. Each sends a postback with its drink.
  .onText("menu", (ctx) =>
    ctx.reply({
      type: "text",
      text: "What would you like?",
      quickReply: {
        items: drinks.map((drink) => ({
          type: "action",
          action: { type: "postback", label: drink, data: `drink=${drink}`, displayText: drink },
        })),
      },
    }),
  )
  // A postback route: the button's data read as a query string, `drink=Tea`.
  .onPostback({ key: "drink" }, (ctx, postback) => ctx.reply(`One ${postback.value} coming up.`))
  // A session counter: per chat, changed in place, saved only when the event succeeds.
  .onText("count", (ctx) => {
    ctx.session.count += 1;
    return ctx.reply(`You have counted to ${ctx.session.count}.`);
  })
  // A push: sent to the chat without the reply token (it counts toward LINE's monthly quota).
  .onText("remind me", async (ctx) => {
    await ctx.reply("I will remind you.");
    await ctx.push("This is your reminder.");
  })
  // The echo bot: any other text comes back as it is.
  .onText((ctx, text) => ctx.reply(text))
  .fallback((ctx) => ctx.log.info({ type: ctx.event.type }, "no route for this event"));
