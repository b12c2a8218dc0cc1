import { createHash } from "node:crypto";
import {
  BEGIN_EVENT,
  FINISH_EVENT,
  RATE_ACQUIRE,
  type ScriptSpec,
  STEP_ASIDE,
} from "@linefleet/store";
import { startRedis, type TestRedis, waitFor } from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const EVENTS = 60;

const sha = ({ lua }: ScriptSpec) => createHash("sha1").update(lua).digest("hex");
const ours = new Map(
  [BEGIN_EVENT, STEP_ASIDE, FINISH_EVENT, RATE_ACQUIRE].map((spec) => [sha(spec), spec.name]),
);

/**
 * Counts, with Redis MONITOR on a Redis of its own, the commands the worker sends per event
 * besides BullMQ's: each of linefleet's script calls is one round trip.
 */
describe("the worker's Redis round trips per event", () => {
  let redis: TestRedis;
  let stack: EmulatedStack;
  let monitor: Redis;
  const seen: string[][] = [];

  beforeAll(async () => {
    redis = await startRedis();
    stack = await startEmulatedStack({
      redisUrl: redis.url,
      emulator: { users: Array.from({ length: EVENTS + 1 }, (_, i) => ({ displayName: `u${i}` })) },
    });
    monitor = await new Redis(redis.url).monitor();
    monitor.on("monitor", (_time: string, args: string[], source: string) => {
      if (source !== "lua") seen.push(args);
    });
  });
  afterAll(async () => {
    monitor?.disconnect();
    await stack?.stop();
    await redis?.close();
  });

  const answered = (user: string) =>
    stack.emulator.messages(user).filter((m) => m.from === "bot").length > 0;

  it("is at most 2 beyond BullMQ's own, plus a fraction for the rate limit's leases", async () => {
    const [first, ...users] = stack.emulator.state().users.map((u) => u.userId);
    // One event first, so that every script is loaded and the counted events run as they would.
    stack.emulator.sendEvent({ type: "text", from: first ?? "", text: "warm up" });
    await waitFor(() => answered(first ?? ""), { what: "the first answer" });
    await waitFor(() => countOf("linefleetFinishEvent") >= 1, { what: "the first finish" });
    seen.length = 0;

    for (let i = 0; i < users.length; i += 10) {
      stack.emulator.sendEvents({
        events: users.slice(i, i + 10).map((from) => ({ type: "text" as const, from, text: "hi" })),
      });
    }
    await waitFor(() => users.every(answered), { timeoutMs: 30_000, what: "every answer" });
    await waitFor(() => countOf("linefleetFinishEvent") >= EVENTS, { what: "every finish" });

    const worker = ["linefleetBeginEvent", "linefleetStepAside", "linefleetFinishEvent"];
    const perEvent = worker.reduce((sum, name) => sum + countOf(name), 0) / EVENTS;
    const ratePerEvent = countOf("linefleetRateAcquire") / EVENTS;
    console.info(
      `worker round trips per event: ${perEvent} (lane + ledger), rate limiter ${ratePerEvent}`,
    );
    expect(countOf("linefleetBeginEvent")).toBe(EVENTS);
    expect(countOf("linefleetFinishEvent")).toBe(EVENTS);
    expect(perEvent).toBeLessThanOrEqual(2);
    // The fleet rate limit leases 10 permits per call at the default 1,000/s: a fraction of a
    // call per send under load (leases lapse unused when sends are further apart than 10 ms).
    expect(ratePerEvent).toBeLessThanOrEqual(0.3);
  });

  it("leaves of each answered event only its dedupe mark and a short-lived done mark", async () => {
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys(`${stack.prefix}:*`);
      const of = (part: string) => keys.filter((key) => key.includes(part));
      // The marks are fields of a few hashes, by second (redis-model/dedupe-marks.ts).
      const marks = await Promise.all(of(":dedupe:").map((key) => client.hlen(key)));
      expect(marks.reduce((sum, count) => sum + count, 0)).toBe(EVENTS + 1);
      expect(of(":line-events:de:")).toEqual([]);
      expect(of(":lane:")).toEqual([]);
      expect(of(":lane-waiting:")).toEqual([]);
      const ledgers = of(":ledger:");
      expect(ledgers).toHaveLength(EVENTS + 1);
      // A done event's ledger is gone: what is left is the string "1", expiring within minutes.
      for (const key of ledgers.slice(0, 10)) {
        expect(await client.type(key)).toBe("string");
        expect(await client.ttl(key)).toBeLessThanOrEqual(180);
      }
    } finally {
      client.disconnect();
    }
  });

  /** Calls of one of linefleet's scripts, by SHA (EVALSHA) or text (EVAL, when Redis lacks it). */
  function countOf(name: string): number {
    return seen.filter((args) => {
      const [command, script] = args;
      const verb = command?.toLowerCase();
      if (verb === "evalsha") return ours.get(script ?? "") === name;
      // MONITOR shows arguments escaped.
      const text = script?.replaceAll("\\n", "\n").replaceAll('\\"', '"');
      return verb === "eval" && lua(name) === text;
    }).length;
  }
});

const byName = new Map(
  [BEGIN_EVENT, STEP_ASIDE, FINISH_EVENT, RATE_ACQUIRE].map((spec) => [spec.name, spec.lua]),
);
const lua = (name: string) => byName.get(name);
