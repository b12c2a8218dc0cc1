import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmulator, type Emulator } from "@linefleet/emulator";
import { createProducerConnection, redisKeys } from "@linefleet/store";
import {
  queueIsIdle,
  type RoundRobin,
  type Stack,
  startRedisCluster,
  startRoundRobin,
  startStack,
  type TestRedisCluster,
  waitFor,
} from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectDepthOverShards } from "./sharded-depth.ts";

const SHARDS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the bot said in one chat, in order. */
const answers = (f: Pick<Fleet, "emulator">, user: string) =>
  f.emulator
    .messages(user)
    .filter((message) => message.from === "bot")
    .map((message) => String(message.message.text));

/** A cluster's nodes as ioredis's Cluster takes them. */
const seedsOf = (cluster: TestRedisCluster) =>
  cluster.nodes.map((node) => ({ host: "127.0.0.1", port: node.port }));

/** Two ingresses behind one webhook URL and two workers, on the cluster, LINE played by the emulator. */
interface Fleet {
  emulator: Emulator;
  stacks: Stack[];
  balancer: RoundRobin;
  prefix: string;
  users: string[];
  stop(): Promise<void>;
}

describe(`on a Redis Cluster (3 masters, 3 replicas), QUEUE_SHARDS=${SHARDS}`, () => {
  let cluster: TestRedisCluster;
  let fleet: Fleet | undefined;
  /** What a test that runs no Fleet started. */
  let stopOther: (() => Promise<void>) | undefined;
  let spoolDir: string;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    spoolDir = await mkdtemp(join(tmpdir(), "linefleet-cluster-spool-"));
  });
  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
    await stopOther?.();
    stopOther = undefined;
  });
  afterAll(async () => {
    await cluster?.close();
    if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
  });

  async function startFleet(chats: number, { spool = false, ingresses = 2 } = {}): Promise<Fleet> {
    const emulator = createEmulator({
      channelSecret: "cluster-channel-secret",
      channelAccessToken: "cluster-channel-access-token",
      // LINE's default: a webhook that fails is not sent again. Only what got a 200 can be answered.
      redelivery: { enabled: false },
      users: Array.from({ length: chats }, (_, i) => ({ displayName: `user ${i}` })),
    });
    await emulator.listen({ port: 0, host: "127.0.0.1" });
    const common = {
      redisUrl: "redis://127.0.0.1",
      lineApiUrl: emulator.url,
      channelSecret: emulator.channelSecret,
      channelAccessToken: emulator.channelAccessToken,
      workers: 1,
      env: { REDIS_CLUSTER_NODES: cluster.seeds, QUEUE_SHARDS: String(SHARDS), LOG_LEVEL: "warn" },
      workerEnv: {
        BOT_MODULE: "tests/bots/slow-echo.ts",
        MAX_DELAY_MS: "20",
        WORKER_CONCURRENCY: "12",
        LOG_LEVEL: "info",
      },
    };
    const first = await startStack({
      ...common,
      ingressEnv: spool ? { INGRESS_SPOOL_DIR: join(spoolDir, "a") } : {},
    });
    // The second stack shares the queue: one more worker, and one more ingress or none.
    const second = await startStack({
      ...common,
      prefix: first.prefix,
      ingressEnv: spool ? { INGRESS_SPOOL_DIR: join(spoolDir, "b") } : {},
    });
    const ingressUrls = [first.ingressUrl, second.ingressUrl].slice(0, ingresses);
    const balancer = await startRoundRobin(ingressUrls);
    emulator.configure({ webhookUrl: `${balancer.url}/webhook` });
    return {
      emulator,
      stacks: [first, second],
      balancer,
      prefix: first.prefix,
      users: emulator.state().users.map((user) => user.userId),
      async stop() {
        await Promise.all([first.stop(), second.stop()]);
        await balancer.close();
        await emulator.close();
      },
    };
  }

  /** Sends `perChat` events to every chat, interleaved as LINE would, ten to a webhook. */
  async function sendInterleaved(
    f: Fleet,
    perChat: number,
    { gapMs = 5, during }: { gapMs?: number; during?: (sent: number) => void } = {},
  ) {
    const inputs = Array.from({ length: perChat }, (_, i) =>
      f.users.map((from, chat) => ({ type: "text" as const, from, text: `${chat}:${i}` })),
    ).flat();
    for (let i = 0; i < inputs.length; i += 10) {
      f.emulator.sendEvents({ events: inputs.slice(i, i + 10) });
      during?.(i + 10);
      await sleep(gapMs);
    }
    return inputs.length;
  }

  /** Every event answered exactly once and in order: what each chat shows, against what was sent. */
  async function expectEveryChatAnsweredInOrder(f: Fleet, perChat: number) {
    await waitFor(() => f.users.every((user) => answers(f, user).length >= perChat), {
      timeoutMs: 40_000,
      what: "every answer",
    }).catch((error: unknown) => {
      // Say where it stuck: how many chats lack answers, and what the processes last said.
      const short = f.users.filter((user) => answers(f, user).length < perChat).length;
      const apps = f.stacks.flatMap((stack) => [stack.ingress, ...stack.workers]);
      const tail = apps.map((app) => `${app.name}: ${JSON.stringify(app.lines.slice(-5))}`);
      throw new Error(`${short} chats short of answers\n${tail.join("\n")}`, { cause: error });
    });
    await waitFor(
      () =>
        queueIsIdle({ url: "redis://127.0.0.1", clusterNodes: seedsOf(cluster) }, f.prefix, {
          shards: SHARDS,
        }),
      { timeoutMs: 20_000, what: "every shard idle" },
    );
    const apps = f.stacks.flatMap((stack) => [stack.ingress, ...stack.workers]);
    const notable = apps.map(
      (app) =>
        `${app.name}: ${JSON.stringify(
          app.lines
            .filter((line) => typeof line !== "object" || line.msg !== "answer sent")
            .slice(-12),
        )}`,
    );
    f.users.forEach((user, chat) => {
      expect(answers(f, user), notable.join("\n")).toEqual(
        Array.from({ length: perChat }, (_, i) => `${chat}:${i}`),
      );
    });
  }

  /** How many of the prefix's dedupe marks each live master holds, by shard queue. */
  async function marksByMaster(prefix: string) {
    const masters = await cluster.masters();
    return Promise.all(
      masters.map(async (master) => {
        const node = new Redis(master.port, "127.0.0.1");
        try {
          const shards = new Set<string>();
          let marks = 0;
          let cursor = "0";
          do {
            const [next, found] = await node.scan(
              cursor,
              "MATCH",
              `${prefix}:dedupe:*`,
              "COUNT",
              1000,
            );
            cursor = next;
            // A mark is a field of its shard's hash of one second (`<prefix>:dedupe:<tag>:…`).
            for (const key of found) {
              marks += await node.hlen(key);
              shards.add(key.split(":")[2] ?? "");
            }
          } while (cursor !== "0");
          return { port: master.port, marks, shards: shards.size };
        } finally {
          node.disconnect();
        }
      }),
    );
  }

  it("shows the real depth of every shard in the queue gauges and the dashboard (QUEUE_SHARDS=3)", async () => {
    const redis = createProducerConnection({
      url: "redis://127.0.0.1",
      clusterNodes: seedsOf(cluster),
    });
    try {
      await once(redis, "ready");
      const keys = redisKeys(`t-${randomUUID()}`, { shards: 3, cluster: true });
      const perShard = await expectDepthOverShards(redis, keys);
      expect(perShard.filter((count) => count > 0).length).toBeGreaterThan(1);
    } finally {
      redis.disconnect();
    }
  });

  it("runs scheduled pushes once, in order, on every shard, and never a cancelled one (QUEUE_SHARDS=3)", async () => {
    const chats = 12;
    const emulator = createEmulator({
      channelSecret: "cluster-channel-secret",
      channelAccessToken: "cluster-channel-access-token",
      users: Array.from({ length: chats }, (_, i) => ({ displayName: `user ${i}` })),
    });
    await emulator.listen({ port: 0, host: "127.0.0.1" });
    const stack = await startStack({
      redisUrl: "redis://127.0.0.1",
      lineApiUrl: emulator.url,
      channelSecret: emulator.channelSecret,
      channelAccessToken: emulator.channelAccessToken,
      workers: 1,
      env: { REDIS_CLUSTER_NODES: cluster.seeds, QUEUE_SHARDS: "3", LOG_LEVEL: "warn" },
      workerEnv: { BOT_MODULE: "tests/bots/scheduled-waves.ts", LOG_LEVEL: "info" },
    });
    stopOther = async () => {
      await stack.stop();
      await emulator.close();
    };
    emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook` });
    const users = emulator.state().users.map((user) => user.userId);
    const start = Date.now() + 3_000;
    emulator.sendEvents({
      events: users.map((from, chat) => ({
        type: "text" as const,
        from,
        text: `plan ${chat} ${start} 500`,
      })),
    });
    emulator.sendEvents({
      events: users.map((from) => ({ type: "text" as const, from, text: "cancel" })),
    });
    const pushes = (user: string) =>
      emulator
        .messages(user)
        .filter((message) => message.from === "bot" && message.via === "push")
        .map((message) => String(message.message.text).split("@")[0]);
    // Four pushes a chat; the cancelled one was due before the last.
    await waitFor(() => users.every((user) => pushes(user).length >= 4), {
      timeoutMs: 30_000,
      what: "every scheduled push",
    });
    users.forEach((user, chat) => {
      expect(pushes(user)).toEqual([0, 1, 2, 3].map((i) => `${chat}:${i}`));
    });
    // The items' states, spread over the shards: 4 sent and 1 cancelled per chat, on 3 masters.
    const states: string[] = [];
    for (const master of await cluster.masters()) {
      const node = new Redis(master.port, "127.0.0.1");
      try {
        let cursor = "0";
        do {
          const [next, found] = await node.scan(cursor, "MATCH", `${stack.prefix}:scheduled:*`);
          cursor = next;
          for (const key of found) states.push(`${master.port} ${await node.get(key)}`);
        } while (cursor !== "0");
      } finally {
        node.disconnect();
      }
    }
    expect(states.filter((state) => state.endsWith(" sent"))).toHaveLength(chats * 4);
    expect(states.filter((state) => state.endsWith(" cancelled"))).toHaveLength(chats);
    expect(new Set(states.map((state) => state.split(" ")[0])).size).toBe(3);
  });

  it("answers every event once, keeps each chat's order, and uses every master", async () => {
    fleet = await startFleet(60);
    const f = fleet;
    const total = await sendInterleaved(f, 10);
    expect(total).toBe(600);
    await expectEveryChatAnsweredInOrder(f, 10);
    expect(f.emulator.deliveries().every((delivery) => delivery.status === 200)).toBe(true);

    const byMaster = await marksByMaster(f.prefix);
    expect(byMaster).toHaveLength(3);
    for (const master of byMaster) {
      expect(master.marks).toBeGreaterThan(0);
      expect(master.shards).toBe(SHARDS / 3);
    }
    expect(byMaster.reduce((sum, master) => sum + master.marks, 0)).toBe(total);
    // Both ingresses took webhooks and both workers answered.
    for (const stack of f.stacks) {
      expect(
        stack.workers[0]?.lines.some(
          (line) => typeof line === "object" && line.msg === "answer sent",
        ),
      ).toBe(true);
    }
  });

  it("loses nothing and doubles nothing when a master is killed mid-burst: with the spool, every webhook gets 200", async () => {
    // One ingress: its journal keeps its requests in order. Two ingresses each spooling their own
    // share could answer a chat's spooled event after a later one the other took (see README).
    fleet = await startFleet(30, { spool: true, ingresses: 1 });
    const f = fleet;
    let killed: Promise<unknown> | undefined;
    const perChat = 12;
    await sendInterleaved(f, perChat, {
      gapMs: 40,
      during: (sent) => {
        if (sent === 100)
          killed = cluster.killMaster().then((node) => cluster.waitForFailover(node));
      },
    });
    await killed;
    await expectEveryChatAnsweredInOrder(f, perChat);
    const deliveries = f.emulator.deliveries();
    expect(deliveries).toHaveLength((30 * perChat) / 10);
    expect(deliveries.filter((delivery) => delivery.status !== 200)).toEqual([]);
    // The spool did stand in for the lost shard.
    const spooled = f.stacks[0]?.ingress.lines.some(
      (line) => typeof line === "object" && String(line.msg).startsWith("spooling started"),
    );
    expect(spooled).toBe(true);
  });
});

// Its own cluster: a failover earlier in the file leaves a master without a replica and replicas
// still catching up, and this test needs every master's replica online before it stalls one.
describe(`INGRESS_MIN_REPLICAS on a fresh Redis Cluster, QUEUE_SHARDS=${SHARDS}`, () => {
  let cluster: TestRedisCluster;
  let stopOther: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterEach(async () => {
    await stopOther?.();
    stopOther = undefined;
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("INGRESS_MIN_REPLICAS=1: a master killed right after acknowledging loses no acknowledged event", async () => {
    const chats = 30;
    const emulator = createEmulator({
      channelSecret: "cluster-channel-secret",
      channelAccessToken: "cluster-channel-access-token",
      // Only what got a 200 is owed an answer: LINE sends nothing again.
      redelivery: { enabled: false },
      users: Array.from({ length: chats }, (_, i) => ({ displayName: `user ${i}` })),
    });
    await emulator.listen({ port: 0, host: "127.0.0.1" });
    // No worker yet: every job stays on its master until after the failover, as a job the
    // workers had not reached yet would.
    const stack = await startStack({
      redisUrl: "redis://127.0.0.1",
      lineApiUrl: emulator.url,
      channelSecret: emulator.channelSecret,
      channelAccessToken: emulator.channelAccessToken,
      workers: 0,
      env: { REDIS_CLUSTER_NODES: cluster.seeds, QUEUE_SHARDS: String(SHARDS), LOG_LEVEL: "warn" },
      ingressEnv: { INGRESS_MIN_REPLICAS: "1" },
      workerEnv: { BOT_MODULE: "tests/bots/slow-echo.ts", MAX_DELAY_MS: "20", LOG_LEVEL: "info" },
    });
    emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook` });
    stopOther = async () => {
      await stack.stop();
      await emulator.close();
    };
    const users = emulator.state().users.map((user) => user.userId);

    // The master's replica stalls, its link down: what the master takes now is on the master
    // alone, as when replication lags behind a burst.
    // (A master the earlier failover left has none.)
    const pairs = await Promise.all(
      (await cluster.masters()).map(async (master) => ({
        master,
        replica: await cluster.replicaOf(master),
      })),
    );
    // WAIT counts only a replica that is online: one the earlier failover set re-syncing (a full
    // resync) would refuse every write of its master. Wait until each master's replica is online.
    await waitFor(
      async () => {
        for (const pair of pairs.filter((p) => p.replica)) {
          const info = new Redis(pair.master.port, "127.0.0.1");
          try {
            const replication = String(await info.info("replication"));
            if (!/^slave0:.*state=online/m.test(replication)) return false;
          } finally {
            info.disconnect();
          }
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: "every master's replica online" },
    );
    const { master, replica } = pairs.find((pair) => pair.replica) ?? {};
    if (!master || !replica) throw new Error("no master with a replica");
    cluster.freeze(replica);
    // Stopped, the replica would still get the stream: the kernel takes it into its socket, to be
    // applied once it resumes. So its link is cut too; stopped, it cannot reconnect.
    const onMaster = new Redis(master.port, "127.0.0.1");
    try {
      expect(await onMaster.call("CLIENT", "KILL", "TYPE", "replica")).toBe(1);
    } finally {
      onMaster.disconnect();
    }
    let sent: Array<{ user: string; text: string; deliveryId: string }>;
    try {
      sent = users.map((user, chat) => {
        const text = `only ${chat}`;
        return {
          user,
          text,
          deliveryId: emulator.sendEvent({ type: "text", from: user, text }).deliveryId,
        };
      });
      await Promise.all(sent.map((event) => emulator.deliveryDone(event.deliveryId)));
      // Right after the last answer, the master dies before it could replicate anything.
      await cluster.killMaster(master.port);
    } finally {
      cluster.thaw(replica);
    }
    await cluster.waitForFailover(master);
    await stack.addWorker();

    const statusOf = (deliveryId: string) =>
      emulator.deliveries().find((delivery) => delivery.deliveryId === deliveryId)?.status;
    const acknowledged = sent.filter((event) => statusOf(event.deliveryId) === 200);
    const f = { emulator };
    await waitFor(() => acknowledged.every((event) => answers(f, event.user).length > 0), {
      timeoutMs: 30_000,
      what: "an answer to every acknowledged event",
    }).catch((error: unknown) => {
      const lost = acknowledged.filter((event) => answers(f, event.user).length === 0);
      throw new Error(`${lost.length} of ${acknowledged.length} acknowledged events lost`, {
        cause: error,
      });
    });
    await waitFor(
      () =>
        queueIsIdle({ url: "redis://127.0.0.1", clusterNodes: seedsOf(cluster) }, stack.prefix, {
          shards: SHARDS,
        }),
      { timeoutMs: 20_000, what: "every shard idle" },
    );
    for (const event of acknowledged) expect(answers(f, event.user)).toEqual([event.text]);
    // The chats of the stalled master's shards were refused, the others acknowledged.
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(sent.filter((event) => statusOf(event.deliveryId) === 503).length).toBeGreaterThan(0);
    expect(acknowledged.length + sent.filter((e) => statusOf(e.deliveryId) === 503).length).toBe(
      chats,
    );
  });
});
