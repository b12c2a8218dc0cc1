import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  makeEnvelope,
  makeTextMessageEvent,
  queueIsIdle,
  signedWebhook,
  startLocalRedisServer,
  startStack,
  type TestRedis,
  waitFor,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OUTAGE_MS = 20_000;
const USERS = 5;

describe("the ingress spool (INGRESS_SPOOL_DIR), LINE's redelivery off", () => {
  let redis: TestRedis;
  let spoolDir: string;
  let stack: EmulatedStack | undefined;

  beforeAll(async () => {
    redis = await startLocalRedisServer({ appendOnly: true });
    spoolDir = await mkdtemp(join(tmpdir(), "linefleet-spool-test-"));
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.close();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it("answers every webhook 200 through a 20 s Redis outage and an ingress kill -9, and answers every event once, in order", async () => {
    stack = await startEmulatedStack({
      redisUrl: redis.url,
      workers: 1,
      ingressEnv: { INGRESS_SPOOL_DIR: spoolDir },
      emulator: {
        redelivery: { enabled: false },
        users: Array.from({ length: USERS }, (_, i) => ({ displayName: `user ${i}` })),
      },
    });
    const s = stack;
    const users = s.emulator.state().users.map((user) => user.userId);
    const sent = new Map<string, string[]>(users.map((user) => [user, []]));
    let n = 0;
    const send = async (count: number, gapMs: number) => {
      for (let i = 0; i < count; i++) {
        const from = users[n % USERS] ?? "";
        const text = `m${n++}`;
        sent.get(from)?.push(text);
        s.emulator.sendEvent({ type: "text", from, text });
        await sleep(gapMs);
      }
    };

    await send(5, 20);
    await waitFor(() => s.emulator.deliveries().length === 5, { what: "the first deliveries" });
    await redis.stop();
    const outageStarted = Date.now();
    await send(20, 200);
    await s.ingress.waitForLine((line) => String(line.msg).startsWith("spooling started"));

    // A crash while spooling: the journal is all that holds these events.
    await waitFor(() => s.emulator.deliveries().length === n, { what: "every delivery answered" });
    const restarted = await s.restartIngress();
    await restarted.waitForLine((line) => String(line.msg).includes("replaying"));
    await send(20, 200);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    await redis.start();

    await restarted.waitForLine((line) => String(line.msg).startsWith("spooling stopped"), 20_000);
    await send(5, 20);
    const answers = (user: string) =>
      s.emulator
        .messages(user)
        .filter((message) => message.from === "bot")
        .map((message) => String(message.message.text));
    await waitFor(
      () => users.every((user) => answers(user).length >= (sent.get(user)?.length ?? 0)),
      {
        // As in resilience.int.test.ts: workers reconnecting after a Redis restart can take a while.
        timeoutMs: 45_000,
        what: "every answer",
      },
    ).catch((error: unknown) => {
      // Say where it stuck: what is missing, and what the processes last said.
      const missing = users.flatMap((user) =>
        (sent.get(user) ?? []).filter((text) => !answers(user).includes(text)),
      );
      const apps = [s.ingress, ...s.workers];
      const tail = apps.map((app) => `${app.name}: ${JSON.stringify(app.lines.slice(-6))}`);
      throw new Error(`unanswered: ${missing.join(" ")}\n${tail.join("\n")}`, { cause: error });
    });
    await waitFor(() => queueIsIdle(redis.url, s.prefix), { what: "the queue idle" });

    const deliveries = s.emulator.deliveries();
    expect(deliveries).toHaveLength(n);
    expect(deliveries.filter((delivery) => delivery.status !== 200)).toEqual([]);
    for (const user of users) expect(answers(user)).toEqual(sent.get(user));
  }, 90_000);

  it("answers 503 once the journal is full", async () => {
    const full = await startStack({
      redisUrl: redis.url,
      lineApiUrl: "http://127.0.0.1:9",
      workers: 0,
      ingressEnv: {
        INGRESS_SPOOL_DIR: join(spoolDir, "small"),
        INGRESS_SPOOL_MAX_BYTES: "4096",
      },
    });
    try {
      await redis.stop();
      const statuses: number[] = [];
      for (let i = 0; i < 30 && statuses.at(-1) !== 503; i++) {
        const { body, headers } = signedWebhook(
          makeEnvelope([makeTextMessageEvent(`filler ${i} ${"x".repeat(200)}`)]),
          full.channelSecret,
        );
        const response = await fetch(`${full.ingressUrl}/webhook`, {
          method: "POST",
          body,
          headers,
        });
        statuses.push(response.status);
      }
      expect(statuses[0]).toBe(200);
      expect(statuses.at(-1)).toBe(503);
      expect(statuses.filter((status) => status === 503)).toHaveLength(1);
      await full.ingress.waitForLine((line) => line.msg === "spool refused");
    } finally {
      await full.stop();
      await redis.start();
    }
  });
});
