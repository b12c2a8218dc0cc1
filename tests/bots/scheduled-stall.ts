import { createBot } from "@linefleet/bot";

/**
 * `later` schedules the handler "stall" half a second ahead; it answers (a push: there is no reply
 * token then) and — in a worker started with STALL_AFTER_PUSH=1 — never finishes, so a test can
 * kill the worker between the delivered push and the item's end.
 */
export const bot = createBot()
  .onText("later", async (ctx) => {
    await ctx.schedule("stall", 500);
  })
  .onSchedule("stall", async (ctx) => {
    await ctx.reply("scheduled, once");
    if (process.env.STALL_AFTER_PUSH === "1") {
      ctx.log.info({}, "stalling after push");
      await new Promise(() => {});
    }
  });
