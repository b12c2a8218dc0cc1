import { randomUUID } from "node:crypto";
import { once } from "node:events";
import {
  type LocalTestRedis,
  makeTextMessageEvent,
  makeUserId,
  startLocalRedisServer,
  waitFor,
} from "@linefleet/test-support";
import type { WebhookEvent } from "@linefleet/webhook";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEventEnqueuer,
  createProducerConnection,
  EVENTS_PER_TRANSACTION,
  type RedisConnection,
  ReplicasNotConfirmedError,
  redisKeys,
} from "../src/index.ts";

const destination = `U${"0".repeat(32)}`;
const asEvent = (event: object) => event as WebhookEvent;

describe("the enqueuer with minReplicas", () => {
  let master: LocalTestRedis;
  let replica: LocalTestRedis | undefined;
  let producer: RedisConnection;

  beforeAll(async () => {
    master = await startLocalRedisServer();
    producer = createProducerConnection(master.url);
    await once(producer, "ready");
  });
  afterAll(async () => {
    producer?.disconnect();
    await replica?.close();
    await master?.close();
  });

  const enqueuerFor = (
    minReplicas: number,
    shards = 1,
    { prefix = `t-${randomUUID()}`, replicaTimeoutMs = 100 } = {},
  ) =>
    createEventEnqueuer({
      connection: producer,
      keys: redisKeys(prefix, { shards }),
      minReplicas,
      replicaTimeoutMs,
    });

  it("rejects with LF_REPLICAS_NOT_CONFIRMED when no replica confirms, then reports new and duplicate events as without it once one does", async () => {
    const prefix = `t-${randomUUID()}`;
    const enqueuer = enqueuerFor(1, 3, { prefix });
    // Once a replica is attached, the same queues, with time for a busy machine's replica to ack.
    const confirmed = enqueuerFor(1, 3, { prefix, replicaTimeoutMs: 5_000 });
    try {
      // Two chats, most likely on two shards: a transaction each, each confirmed. (An event
      // without a chat would do as well: its key picks its shard.)
      const inChat = asEvent(makeTextMessageEvent("in a chat"));
      const other = asEvent(makeTextMessageEvent("in another chat"));
      const refused = await enqueuer
        .enqueue(destination, [inChat, other], Date.now())
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ReplicasNotConfirmedError);
      expect((refused as ReplicasNotConfirmedError).code).toBe("LF_REPLICAS_NOT_CONFIRMED");
      expect((refused as Error).message).toBe(
        "0 of 1 replica(s) confirmed the write within 100 ms",
      );

      replica = await startLocalRedisServer({ replicaOf: master });
      const probe = new Redis(replica.url);
      await waitFor(
        async () => String(await probe.info("replication")).includes("master_link_status:up"),
        { timeoutMs: 15_000, what: "the replica in sync" },
      ).finally(() => probe.disconnect());

      // The refused write did land on the master: its redelivery is a duplicate, confirmed now.
      expect(await confirmed.enqueue(destination, [inChat, other], Date.now())).toEqual({
        enqueued: 0,
        duplicates: 2,
      });
      const fresh = asEvent(makeTextMessageEvent("new"));
      expect(await confirmed.enqueue(destination, [fresh, inChat], Date.now())).toEqual({
        enqueued: 1,
        duplicates: 1,
      });
      // A request split into several transactions: each is confirmed.
      const many = Array.from({ length: EVENTS_PER_TRANSACTION * 2 + 1 }, () =>
        asEvent(makeTextMessageEvent("many", { source: { type: "user", userId: makeUserId() } })),
      );
      expect(await confirmed.enqueue(destination, many, Date.now())).toEqual({
        enqueued: many.length,
        duplicates: 0,
      });
    } finally {
      await enqueuer.close();
      await confirmed.close();
    }
  });

  it("waits for no replica with minReplicas 0", async () => {
    const enqueuer = enqueuerFor(0);
    try {
      replica?.freeze();
      const event = asEvent(makeTextMessageEvent("unconfirmed"));
      expect(await enqueuer.enqueue(destination, [event], Date.now())).toEqual({
        enqueued: 1,
        duplicates: 0,
      });
    } finally {
      replica?.thaw();
      await enqueuer.close();
    }
  });
});
