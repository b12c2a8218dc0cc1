import { createBot } from "@linefleet/bot";

/**
 * A three-step sign-up conversation, a quiz whose answer times out (`/quiz <ms>`, default 1 s),
 * and a route for everyone else. With `STALL_AFTER=<text>` in
 * its environment, a worker stalls for good right after answering that text (so a test can kill
 * it mid-step, once the answer is sent and before the event is done).
 */
export const bot = createBot<{ profile?: { name: string; age: number; plan: string } }>({
  session: { initial: () => ({}) },
})
  .conversation("signup", async (conv) => {
    const name = (await conv.ask("What is your name?", /^\S+$/)).text ?? "";
    const age = Number((await conv.ask(`How old are you, ${name}?`, /^\d+$/)).text);
    const planAnswer = await conv.ask("Which plan: free or pro?", /^(free|pro)$/);
    conv.session.profile = { name, age, plan: planAnswer.text ?? "" };
    await planAnswer.reply(`Signed up: ${name}, ${age}, ${planAnswer.text}`);
    if (process.env.STALL_AFTER === planAnswer.text) {
      planAnswer.log.info("stalling after the answer");
      await new Promise(() => {});
    }
  })
  .conversation("quiz", async (conv, ctx) => {
    await ctx.reply("Capital of France?");
    const answer = await conv.waitFor(/paris/i, {
      timeoutMs: (conv.args as { timeoutMs: number }).timeoutMs,
      otherwise: (late) => late.reply("Too slow: it was Paris."),
    });
    await answer.reply("Right!");
  })
  .command("signup", (ctx) => ctx.enter("signup"))
  .command("quiz", (ctx, ms) => ctx.enter("quiz", { timeoutMs: Number(ms) || 1_000 }))
  .command("cancel", (ctx) => ctx.reply("Cancelled."))
  .onText("ping", (ctx) => ctx.reply("pong"))
  .onText((ctx, text) => ctx.reply(`echo: ${text}`));
