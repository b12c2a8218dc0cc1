/**
 * Scenario 5, memory: bytes Redis keeps per answered event. N events from N chats go through the
 * real ingress and worker (the emulator standing in for LINE). Redis's own count, `used_memory`
 * (INFO memory), is read before the events and again once every event is done and its short-lived
 * marks (the workers' done marks, DONE_GRACE_SECONDS) have expired: that difference is what the
 * events cost, keyspace and expiry-table overhead included. Beside it every key under the run's
 * prefix is weighed with MEMORY USAGE, by family. Part of `pnpm bench`; alone:
 * node bench/redis-memory.ts [events]
 */
import { randomUUID } from "node:crypto";
import { createEmulator } from "@linefleet/emulator";
import { startLocalRedisServer, startStack, waitFor } from "@linefleet/test-support";
import { Redis } from "ioredis";

export interface MemoryResults {
  events: number;
  /**
   * Redis's `used_memory` growth per event, from before the events to after their short-lived
   * marks expired; and while those marks still lived (just after the last answer).
   */
  usedMemoryPerEvent: number;
  usedMemoryPerEventWithDoneMarks: number;
  families: Array<{ family: string; keys: number; bytes: number; bytesPerEvent: number }>;
  /** Bytes per answered event kept once it is done (all but the done marks and BullMQ's stream). */
  retainedPerEvent: number;
  dedupePerEvent: number;
  /** The dedupe marks of 24 h at 1,000 events/s. */
  gibPerDayAt1000: number;
}

/** Events of a full run: enough that the capped events stream is a small share of each. */
export const MEMORY_EVENTS = 20_000;

export async function runRedisMemory(
  redisUrl: string,
  { events: EVENTS, print = false }: { events: number; print?: boolean },
): Promise<MemoryResults> {
  const emulator = createEmulator({
    channelSecret: "memory-bench-channel-secret",
    channelAccessToken: "memory-bench-access-token",
    users: Array.from({ length: EVENTS }, (_, i) => ({ displayName: `user ${i}` })),
  });
  await emulator.listen({ port: 0, host: "127.0.0.1" });
  const prefix = `m-${randomUUID().slice(0, 8)}`;
  const stack = await startStack({
    redisUrl,
    prefix,
    lineApiUrl: emulator.url,
    channelSecret: emulator.channelSecret,
    channelAccessToken: emulator.channelAccessToken,
    // "worker ready" is an info line, which startStack waits for.
    env: { LOG_LEVEL: "info" },
  });
  emulator.configure({ webhookUrl: `${stack.ingressUrl}/webhook` });
  const redis = new Redis(redisUrl);
  const usedMemory = async () =>
    Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1] ?? Number.NaN);

  try {
    const users = emulator.state().users.map((user) => user.userId);
    // After the stack's start (its connections, scripts and queue keys), before any event.
    const before = await usedMemory();
    for (let i = 0; i < users.length; i += 10) {
      emulator.sendEvents({
        events: users.slice(i, i + 10).map((from) => ({ type: "text" as const, from, text: "hi" })),
      });
      if (i % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const answered = () =>
      users.filter((user) => emulator.messages(user).some((m) => m.from === "bot")).length;
    await waitFor(() => answered() === EVENTS, { timeoutMs: 120_000, what: "every answer" });
    // Done means BullMQ has removed every job: nothing waits, runs or is delayed.
    await waitFor(
      async () => (await redis.keys(`${prefix}:line-events:[0-9A-Z]*`)).length === 0 || undefined,
      { timeoutMs: 30_000, what: "every job removed" },
    );

    const withDoneMarks = await usedMemory();
    // The done marks lapse after DONE_GRACE_SECONDS; Redis's active expiry then frees them.
    await waitFor(async () => (await redis.keys(`${prefix}:ledger:*`)).length === 0 || undefined, {
      timeoutMs: 240_000,
      what: "the done marks to expire",
    });
    const after = await usedMemory();

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

    const per = (name: string) => (families.get(name)?.bytes ?? 0) / EVENTS;
    const kept = [...families.keys()].filter(
      (name) => name !== "done mark (2 min grace)" && !name.startsWith("BullMQ events"),
    );
    const results: MemoryResults = {
      events: EVENTS,
      usedMemoryPerEvent: (after - before) / EVENTS,
      usedMemoryPerEventWithDoneMarks: (withDoneMarks - before) / EVENTS,
      families: [...families]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([family, { keys, bytes }]) => ({
          family,
          keys,
          bytes,
          bytesPerEvent: bytes / EVENTS,
        })),
      retainedPerEvent: kept.reduce((sum, name) => sum + per(name), 0),
      dedupePerEvent: per("dedupe mark"),
      gibPerDayAt1000: (per("dedupe mark") * 1_000 * 86_400) / 2 ** 30,
    };
    if (print) {
      console.log(`events answered: ${EVENTS}`);
      console.log(
        `used_memory per event: ${results.usedMemoryPerEvent.toFixed(1)} B once the done marks expired (${results.usedMemoryPerEventWithDoneMarks.toFixed(1)} B before)`,
      );
      console.log("family | keys | bytes | bytes per event");
      for (const f of results.families) {
        console.log(`${f.family} | ${f.keys} | ${f.bytes} | ${f.bytesPerEvent.toFixed(1)}`);
      }
      console.log(
        `retained per answered event once done: ${results.retainedPerEvent.toFixed(1)} B (besides BullMQ's events stream, kept to 100–200 entries whatever the traffic)`,
      );
      console.log(
        `of which dedupe marks: ${results.dedupePerEvent.toFixed(1)} B (kept DEDUPE_TTL_MS)`,
      );
      console.log(
        `at 1,000 events/s for 24 h: ${results.gibPerDayAt1000.toFixed(2)} GiB of dedupe marks`,
      );
    }
    return results;
  } finally {
    redis.disconnect();
    await stack.stop();
    await emulator.close();
  }
}

if (import.meta.main) {
  const redisServer = await startLocalRedisServer();
  try {
    await runRedisMemory(redisServer.url, {
      events: Number(process.argv[2] ?? MEMORY_EVENTS),
      print: true,
    });
  } finally {
    await redisServer.close();
  }
}

function familyOf(key: string): string {
  // The marks are fields of per-second hashes (`dedupe:<second>:<bucket>`): weighed by hash.
  if (key.startsWith("dedupe:")) return "dedupe mark";
  if (key === "line-events:events") return "BullMQ events stream (capped)";
  if (key.startsWith("line-events:")) return `BullMQ ${key.slice("line-events:".length)}`;
  if (key.startsWith("ledger:")) return "done mark (2 min grace)";
  return key.split(":")[0] ?? key;
}
