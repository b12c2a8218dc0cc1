/**
 * Memory of scheduled work: bytes Redis keeps per scheduled item (`ctx.pushLater`), while it waits
 * and once it ran. N items, one text message each, are scheduled an hour ahead from N chats
 * through the test kit (the real worker code, the emulator standing in for LINE); every key under
 * the run's prefix is weighed with MEMORY USAGE, by family; then the clock is moved an hour on,
 * the items run, and the keys are weighed again. Alone: node bench/scheduled-memory.ts [items]
 */
import { createBot } from "@linefleet/bot";
import { startBotTest, startLocalRedisServer } from "@linefleet/test-support";
import { Redis } from "ioredis";

const HOUR = 3_600_000;

async function weigh(redis: Redis, prefix: string) {
  const families = new Map<string, { keys: number; bytes: number }>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1_000);
    cursor = next;
    for (const key of keys) {
      const family = familyOf(key.slice(prefix.length + 1));
      const bytes = Number(await redis.memory("USAGE", key, "SAMPLES", "0"));
      const sum = families.get(family) ?? { keys: 0, bytes: 0 };
      families.set(family, { keys: sum.keys + 1, bytes: sum.bytes + bytes });
    }
  } while (cursor !== "0");
  return families;
}

/** Families of the items; the scheduling events' own keys are named apart and left out. */
function familyOf(key: string): string {
  if (key.startsWith("dedupe:")) return "(the scheduling events' dedupe marks)";
  if (key.startsWith("line-events:")) {
    const name = key.slice("line-events:".length);
    return name.startsWith("scheduled") ? "BullMQ job (hash)" : `BullMQ ${name}`;
  }
  if (key.startsWith("scheduled:")) return "item state";
  if (key.startsWith("ledger:")) {
    return key.includes(":scheduled-")
      ? "item done mark (2 min grace)"
      : "(the scheduling events' done marks)";
  }
  return key.split(":")[0] ?? key;
}

function print(
  title: string,
  families: Map<string, { keys: number; bytes: number }>,
  items: number,
) {
  console.log(`\n${title}`);
  console.log("family | keys | bytes | bytes per item");
  let total = 0;
  for (const [family, { keys, bytes }] of [...families].sort(([a], [b]) => a.localeCompare(b))) {
    if (family.startsWith("(") || !/^(BullMQ (job|delayed)|item|scheduled-due)/.test(family)) {
      console.log(`${family} | ${keys} | ${bytes} | (not the items')`);
      continue;
    }
    total += bytes;
    console.log(`${family} | ${keys} | ${bytes} | ${(bytes / items).toFixed(1)}`);
  }
  console.log(`per item: ${(total / items).toFixed(1)} B`);
}

if (import.meta.main) {
  const items = Number(process.argv[2] ?? 1_000);
  const redisServer = await startLocalRedisServer();
  const bot = createBot().onText("plan", async (ctx) => {
    await ctx.pushLater(HOUR, "Your reminder: the meeting starts in 10 minutes.");
  });
  const test = await startBotTest({
    bot,
    redisUrl: redisServer.url,
    users: Array.from({ length: items }, (_, i) => `user ${i}`),
  });
  const redis = new Redis(redisServer.url);
  try {
    const users = test.emulator.state().users;
    for (let i = 0; i < users.length; i += 50) {
      await Promise.all(
        users.slice(i, i + 50).map((user) => test.user(user.displayName).says("plan")),
      );
    }
    print(
      `${items} items scheduled, waiting (an hour ahead)`,
      await weigh(redis, test.prefix),
      items,
    );
    await test.clock.advance(HOUR);
    const sent = users.filter((user) => test.answers(user.userId).length > 0).length;
    print(`after they ran (${sent} pushed)`, await weigh(redis, test.prefix), items);
  } finally {
    redis.disconnect();
    await test.stop();
    await redisServer.close();
  }
}
