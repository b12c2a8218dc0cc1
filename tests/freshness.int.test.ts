import { hasDedupeMark, jobIdFor, redisKeys } from "@linefleet/store";
import {
  makeEnvelope,
  makeTextMessageEvent,
  type Stack,
  scrape,
  signedWebhook,
  startStack,
} from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

describe("an event older than MAX_EVENT_AGE_MS", () => {
  let stack: Stack;
  let redis: Redis;

  beforeAll(async () => {
    // No worker: what the ingress queued stays in Redis to be looked at.
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: "http://127.0.0.1:9",
      workers: 0,
      ingressEnv: { MAX_EVENT_AGE_MS: String(10 * 60_000) },
    });
    redis = new Redis(inject("redisUrl"));
  });
  afterAll(async () => {
    await stack?.stop();
    redis?.disconnect();
  });

  it("is acknowledged (200) and dropped, counted and logged without its text; a fresh one beside it is queued", async () => {
    const now = Date.now();
    const ancient = makeTextMessageEvent("captured in 2017", {
      timestamp: Date.UTC(2017, 0, 1),
    });
    const late = makeTextMessageEvent("eleven minutes late", { timestamp: now - 11 * 60_000 });
    const fresh = makeTextMessageEvent("just now", { timestamp: now });
    const signed = signedWebhook(makeEnvelope([ancient, late, fresh]), stack.channelSecret);
    const response = await fetch(`${stack.ingressUrl}/webhook`, {
      method: "POST",
      body: signed.body,
      headers: signed.headers,
    });
    expect(response.status).toBe(200);

    const logged = await stack.ingress.waitForLine(
      (line) => typeof line === "object" && line.reason === "too_old",
    );
    expect(logged).toMatchObject({ channel: "default", dropped: 2 });
    expect(JSON.stringify(logged)).not.toContain("captured in 2017");
    expect(JSON.stringify(logged)).not.toContain("eleven minutes late");

    const metrics = await scrape(`${stack.ingressUrl}/metrics`);
    expect(
      metrics.value("linefleet_ingress_events_dropped_total", {
        channel: "default",
        reason: "too_old",
      }),
    ).toBe(2);
    expect(
      metrics.value("linefleet_webhook_events_total", { channel: "default", result: "enqueued" }),
    ).toBe(1);

    const exists = (key: string) => redis.exists(key);
    // One shard: its queue, named by the layout.
    const keys = redisKeys(stack.prefix);
    const job = (event: { webhookEventId: string }) =>
      keys.queueKey(0, jobIdFor(event.webhookEventId));
    const marked = (event: { webhookEventId: string; timestamp: unknown }) =>
      hasDedupeMark(redis, keys, event.webhookEventId, event.timestamp);
    expect(await exists(job(fresh))).toBe(1);
    expect(await marked(fresh)).toBe(true);
    for (const stale of [ancient, late]) {
      expect(await exists(job(stale))).toBe(0);
      expect(await marked(stale)).toBe(false);
    }
  });
});
