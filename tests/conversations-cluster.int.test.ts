import { createEmulator } from "@linefleet/emulator";
import { laneOf, redisKeys } from "@linefleet/store";
import {
  type Stack,
  startRedisCluster,
  startStack,
  type TestRedisCluster,
  waitFor,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Conversations on a Redis Cluster with QUEUE_SHARDS=3: a session and its shard's conversations
 * index are written by one script, so they must share a slot on every shard.
 */
describe("conversations on a Redis Cluster, QUEUE_SHARDS=3", () => {
  let cluster: TestRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("take each chat's answers in turn, on every shard", async () => {
    const emulator = createEmulator({
      channelSecret: "conversation-cluster-secret",
      channelAccessToken: "conversation-cluster-token",
      users: [],
    });
    await emulator.listen({ port: 0, host: "127.0.0.1" });
    // Two chats on each shard.
    const layout = redisKeys("any", { shards: 3, cluster: true }).layout;
    const perShard = [0, 0, 0];
    const users: Array<{ userId: string; displayName: string }> = [];
    for (let i = 0; users.length < 6; i++) {
      const user = emulator.addUser({ displayName: `user${i}` });
      const lane = laneOf(emulator.bot.userId, { type: "user", userId: user.userId }) ?? "";
      const shard = layout.shardOfLane(lane);
      if ((perShard[shard] ?? 0) >= 2) continue;
      perShard[shard] = (perShard[shard] ?? 0) + 1;
      users.push(user);
    }
    let stack: Stack | undefined;
    try {
      stack = await startStack({
        redisUrl: "redis://127.0.0.1",
        lineApiUrl: emulator.url,
        channelSecret: emulator.channelSecret,
        channelAccessToken: emulator.channelAccessToken,
        workers: 1,
        env: { REDIS_CLUSTER_NODES: cluster.seeds, QUEUE_SHARDS: "3", LOG_LEVEL: "warn" },
        workerEnv: { BOT_MODULE: "tests/bots/signup-conversation.ts", LOG_LEVEL: "info" },
      });
      emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook` });
      const answers = (userId: string) =>
        emulator
          .messages(userId)
          .filter((message) => message.from === "bot")
          .map((message) => message.message.text);
      const steps = ["/signup", "NAME", "25", "free"];
      for (const [step, text] of steps.entries()) {
        for (const user of users) {
          emulator.sendEvent({
            type: "text",
            from: user.userId,
            text: text.replace("NAME", user.displayName),
          });
        }
        await waitFor(() => users.every((user) => answers(user.userId).length > step), {
          timeoutMs: 20_000,
          what: `every chat's answer to step ${step + 1}`,
        });
      }
      for (const user of users) {
        expect(answers(user.userId)).toEqual([
          "What is your name?",
          `How old are you, ${user.displayName}?`,
          "Which plan: free or pro?",
          `Signed up: ${user.displayName}, 25, free`,
        ]);
      }
    } finally {
      await stack?.stop();
      await emulator.close();
    }
  });
});
