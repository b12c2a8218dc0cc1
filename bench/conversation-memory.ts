/**
 * Redis bytes per conversation in progress. N chats each enter a three-question sign-up and answer
 * two questions (the log then holds the entering event and two answers), through the real pipeline
 * (the test kit: the emulator, a real ingress, BullMQ workers, Redis); then each chat's session is
 * weighed with MEMORY USAGE, and again once the conversations have ended, and the conversations
 * index is weighed. Alone: node bench/conversation-memory.ts [chats]
 */
import { createBot } from "@linefleet/bot";
import { laneOf, redisKeys } from "@linefleet/store";
import { startBotTest, startLocalRedisServer } from "@linefleet/test-support";
import { Redis } from "ioredis";

const CHATS = Number(process.argv[2] ?? 100);

const bot = createBot<{ name?: string; age?: number; plan?: string }>({
  session: { initial: () => ({}) },
})
  .conversation("signup", async (conv) => {
    const name = (await conv.ask("What is your name?", /^\S+$/)).text ?? "";
    const age = Number((await conv.ask(`How old are you, ${name}?`, /^\d+$/)).text);
    const plan = await conv.ask("Free or Pro?", /^(free|pro)$/);
    Object.assign(conv.session, { name, age, plan: plan.text });
    await plan.reply(`Welcome, ${name}!`);
  })
  .command("signup", (ctx) => ctx.enter("signup"));

const redisServer = await startLocalRedisServer();
const test = await startBotTest({ bot, users: [], redisUrl: redisServer.url });
const redis = new Redis(redisServer.url);
try {
  const keys = redisKeys(test.prefix);
  const users = Array.from({ length: CHATS }, (_, i) => test.user(`user ${i}`));
  for (const user of users) {
    await user.says("/signup");
    await user.says(user.name.replace(" ", "-"));
    await user.says("30");
  }
  const sessionKey = (userId: string) =>
    keys.session(laneOf(test.emulator.bot.userId, { type: "user", userId }) ?? "");
  const weigh = async () => {
    let bytes = 0;
    let logBytes = 0;
    for (const user of users) {
      bytes += Number(await redis.memory("USAGE", sessionKey(user.id), "SAMPLES", "0"));
      logBytes += await redis.hstrlen(sessionKey(user.id), "conv");
    }
    return { sessionBytes: bytes / CHATS, logBytes: logBytes / CHATS };
  };
  const during = await weigh();
  const index = Number(await redis.memory("USAGE", keys.conversationsOfShard(0), "SAMPLES", "0"));
  for (const user of users) await user.says("pro");
  const after = await weigh();
  const results = {
    chats: CHATS,
    sessionBytesDuring: Math.round(during.sessionBytes),
    logJsonBytes: Math.round(during.logBytes),
    sessionBytesAfter: Math.round(after.sessionBytes),
    indexBytesPerChat: Math.round(index / CHATS),
    perConversation: Math.round(during.sessionBytes - after.sessionBytes + index / CHATS),
  };
  console.log(JSON.stringify(results, null, 2));
} finally {
  redis.disconnect();
  await test.stop();
  await redisServer.close();
}
