import { createBot } from "@linefleet/bot";

/**
 * Scheduled pushes for the fleet test: `plan <chat> <start> <gap>` schedules four pushes at
 * start, start + gap, … (epoch ms), each text naming its chat, its place and its due time, and a
 * fifth between the third and the fourth whose id it keeps in the session; `cancel` cancels that
 * one and replies how it went.
 */
export const bot = createBot({ session: { initial: () => ({ cancelId: "" }) } })
  .onText(/^plan (\d+) (\d+) (\d+)$/, async (ctx, match) => {
    const [chat, start, gap] = [match[1], Number(match[2]), Number(match[3])];
    for (let i = 0; i < 4; i++) {
      const at = start + i * gap;
      await ctx.pushLater(new Date(at), `${chat}:${i}@${at}`);
    }
    const at = start + 2.5 * gap;
    ctx.session.cancelId = (await ctx.pushLater(new Date(at), `${chat}:cancelled@${at}`)).id;
  })
  .onText("cancel", async (ctx) => {
    const { status } = await ctx.cancelLater(ctx.session.cancelId);
    await ctx.reply(`cancel: ${status}`);
  });
