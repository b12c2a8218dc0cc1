import { setTimeout as sleep } from "node:timers/promises";
import { createBot, NonRetriableError } from "@linefleet/bot";

/**
 * Counts texts in the session. "slow" holds the session for 1.5 s before changing it, so a later
 * event of the chat (let past the lane by a short LANE_MAX_WAIT_MS) writes the session first.
 * "fail" changes the session, then fails the event for good.
 */
export const bot = createBot({
  session: { initial: () => ({ count: 0, seen: [] as string[] }) },
}).onText(async (ctx, text) => {
  if (text === "slow") await sleep(1_500);
  ctx.session.count += 1;
  ctx.session.seen.push(text);
  if (text === "fail") throw new NonRetriableError("failing after changing the session");
  await ctx.reply(`${text}: count ${ctx.session.count}`);
});
