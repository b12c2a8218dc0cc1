import { createBot } from "@linefleet/bot";

/** A recurring job every second that records each run (its tick, when it ran, which process). */
export const bot = createBot().every("heartbeat", { everyMs: 1_000 }, async (ctx) => {
  await ctx.redis.rpush(
    `${ctx.keyPrefix}:test-ticks`,
    JSON.stringify({ id: ctx.tick.id, at: ctx.tick.at, ranAt: Date.now(), pid: process.pid }),
  );
});
