import { setTimeout as sleep } from "node:timers/promises";
import { createBot, NonRetriableError } from "@linefleet/bot";
import { laneOf, redisKeys } from "@linefleet/store";

/**
 * Counts texts in the session. "slow" holds the session it loaded until another event of the
 * chat ("fast", let past the lane by a short LANE_MAX_WAIT_MS) has saved the chat's session, so
 * the two writers overlap whatever the machine's load. "fail" changes the session, then fails the
 * event for good.
 */
export const bot = createBot({
  session: { initial: () => ({ count: 0, seen: [] as string[] }) },
}).onText(async (ctx, text) => {
  if (text === "slow") {
    const key = redisKeys(ctx.keyPrefix).session(laneOf(ctx.destination, ctx.event.source) ?? "");
    for (let i = 0; i < 400; i++) {
      if ((await ctx.redis.hget(key, "data"))?.includes('"fast"')) break;
      await sleep(25);
    }
  }
  ctx.session.count += 1;
  ctx.session.seen.push(text);
  if (text === "fail") throw new NonRetriableError("failing after changing the session");
  await ctx.reply(`${text}: count ${ctx.session.count}`);
});
