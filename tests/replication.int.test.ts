import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type LocalTestRedis,
  makeEnvelope,
  makeTextMessageEvent,
  type Stack,
  signedWebhook,
  startLocalRedisServer,
  startStack,
  waitFor,
} from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";

const ENQUEUE_TIMEOUT_MS = 1_000;
/** LINE stops waiting for an answer after this long. */
const LINE_WAITS_MS = 2_000;

/** The ingress only (no worker), on a Redis of the test's own, acknowledging after one replica. */
function startIngress(redis: LocalTestRedis, joining?: Stack, env: Record<string, string> = {}) {
  return startStack({
    redisUrl: redis.url,
    // No worker runs: nothing calls LINE.
    lineApiUrl: "http://127.0.0.1:1",
    workers: 0,
    ...(joining ? { prefix: joining.prefix, channelSecret: joining.channelSecret } : {}),
    ingressEnv: {
      INGRESS_MIN_REPLICAS: "1",
      ENQUEUE_TIMEOUT_MS: String(ENQUEUE_TIMEOUT_MS),
      LOG_LEVEL: "warn",
      ...env,
    },
  });
}

async function post(stack: Stack, body: object) {
  const request = signedWebhook(body, stack.channelSecret);
  const started = performance.now();
  const response = await fetch(`${stack.ingressUrl}/webhook`, {
    method: "POST",
    headers: request.headers,
    body: request.body,
  });
  const answer = (await response.json()) as { error?: string };
  return { status: response.status, error: answer.error, ms: performance.now() - started };
}

/**
 * Resolves once the replica confirms writes: a write of the test's own, then `WAIT 1`, answers 1.
 * The replica's "master_link_status:up" is not enough: after a diskless full sync the master
 * starts its command stream only on the replica's next ACK, which can come a second later, and a
 * `WAIT` meanwhile times out.
 */
async function waitForSync(master: LocalTestRedis, replica: LocalTestRedis) {
  const client = new Redis(master.url);
  try {
    await waitFor(
      async () => {
        await client.set("test:replica-confirms", "1");
        return (await client.wait(1, 200)) === 1;
      },
      { timeoutMs: 15_000, what: `the replica ${replica.url} confirming writes` },
    );
  } finally {
    client.disconnect();
  }
}

/** Whether the replica holds anything of the event: its job (named after its id). */
async function replicaHas(replica: LocalTestRedis, webhookEventId: string) {
  const client = new Redis(replica.url);
  try {
    return (await client.keys(`*${webhookEventId}*`)).length > 0;
  } finally {
    client.disconnect();
  }
}

describe("INGRESS_MIN_REPLICAS=1 on a single Redis", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("answers 503 within the bound while no replica confirms the write, and 200 once one does", async () => {
    const master = await startLocalRedisServer();
    cleanups.push(() => master.close());
    const ingress = await startIngress(master);
    cleanups.push(() => ingress.stop());

    const event = makeTextMessageEvent("hello");
    const envelope = makeEnvelope([event]);
    const alone = await post(ingress, envelope);
    expect(alone.status).toBe(503);
    expect(alone.error).toBe("queue_unavailable");
    expect(alone.ms).toBeLessThan(LINE_WAITS_MS);
    const refused = await ingress.ingress.waitForLine(
      (line) => line.msg === "enqueue failed; answered 503 (400 if the events cannot be stored)",
    );
    expect(JSON.stringify(refused)).toContain("0 of 1 replica(s) confirmed the write");

    const replica = await startLocalRedisServer({ replicaOf: master });
    cleanups.push(() => replica.close());
    await waitForSync(master, replica);
    // LINE's redelivery of the refused request, then a new one: both acknowledged, both on the
    // replica by the time they are.
    const redelivered = await post(ingress, envelope);
    expect(redelivered.status).toBe(200);
    expect(await replicaHas(replica, event.webhookEventId)).toBe(true);
    const next = makeTextMessageEvent("again");
    expect((await post(ingress, makeEnvelope([next]))).status).toBe(200);
    expect(await replicaHas(replica, next.webhookEventId)).toBe(true);
  });

  it("confirms a redelivery that finds its event already queued: a stalled replica gets it 503 on another ingress too", async () => {
    const master = await startLocalRedisServer();
    cleanups.push(() => master.close());
    const replica = await startLocalRedisServer({ replicaOf: master });
    cleanups.push(() => replica.close());
    await waitForSync(master, replica);
    const first = await startIngress(master);
    cleanups.push(() => first.stop());
    // A second ingress on the same queue: its connection never wrote the event.
    const second = await startIngress(master, first);
    cleanups.push(() => second.stop());

    const event = makeTextMessageEvent("while the replica lags");
    const envelope = makeEnvelope([event]);
    replica.freeze();
    try {
      // The master takes the write, the replica does not confirm it: refused...
      expect((await post(first, envelope)).status).toBe(503);
      // ... and so is the redelivery, though the event is already queued (a duplicate): it is no
      // safer on the master than it was.
      expect((await post(second, envelope)).status).toBe(503);
    } finally {
      replica.thaw();
    }
    const redelivered = await post(second, envelope);
    expect(redelivered.status).toBe(200);
    expect(await replicaHas(replica, event.webhookEventId)).toBe(true);
  });

  it("with the spool on, answers 200 while no replica confirms, and replays the journal once one does", async () => {
    const master = await startLocalRedisServer();
    cleanups.push(() => master.close());
    const spoolDir = await mkdtemp(join(tmpdir(), "linefleet-replicas-spool-"));
    cleanups.push(() => rm(spoolDir, { recursive: true, force: true }));
    const ingress = await startIngress(master, undefined, {
      INGRESS_SPOOL_DIR: spoolDir,
      LOG_LEVEL: "info",
    });
    cleanups.push(() => ingress.stop());

    const event = makeTextMessageEvent("kept on disk");
    expect((await post(ingress, makeEnvelope([event]))).status).toBe(200);
    await ingress.ingress.waitForLine((line) => String(line.msg).startsWith("spooling started"));

    const replica = await startLocalRedisServer({ replicaOf: master });
    cleanups.push(() => replica.close());
    // The replay is confirmed like any enqueue: the journal drains only once the replica has it.
    await ingress.ingress.waitForLine(
      (line) => String(line.msg).startsWith("spooling stopped"),
      30_000,
    );
    expect(await replicaHas(replica, event.webhookEventId)).toBe(true);
  });
});
