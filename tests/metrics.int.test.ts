import {
  makeEnvelope,
  makeTextMessageEvent,
  type Scrape,
  scrape,
  signedWebhook,
  waitFor,
  workerMetricsUrl,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const REPLY = "/v2/bot/message/reply";
const PUSH = "/v2/bot/message/push";
const channel = "default";

describe("metrics after a flow through the emulator (real ingress and worker)", () => {
  let stack: EmulatedStack;
  let workerMetrics: string;

  beforeAll(async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      ingressEnv: { WEBHOOK_BODY_LIMIT: "4096" },
      workerEnv: { REPLY_TOKEN_MAX_AGE_MS: "20000" },
      // One user per scenario, so each chat's answers can be told apart.
      emulator: {
        users: ["Ann", "Ben", "Cy", "Di", "Ed", "Flo", "Gus"].map((displayName) => ({
          displayName,
        })),
      },
    });
    workerMetrics = `${await workerMetricsUrl(stack.workers[0] as EmulatedStack["workers"][0])}/metrics`;
  });
  afterAll(async () => {
    await stack.stop();
  });

  const userIdOf = (displayName: string) => {
    const user = stack.emulator.state().users.find((u) => u.displayName === displayName);
    if (!user) throw new Error(`the emulator has no user ${displayName}`);
    return user.userId;
  };
  const botMessages = (userId: string) =>
    stack.emulator.messages(userId).filter((message) => message.from === "bot");
  const processed = async (outcome: string) =>
    (await scrape(workerMetrics)).value("linefleet_events_processed_total", {
      channel,
      type: "message",
      outcome,
    });
  /** Waits until the worker has counted `count` events with this outcome: their handling is over. */
  const untilProcessed = (outcome: string, count: number) =>
    waitFor(async () => (await processed(outcome)) >= count, {
      timeoutMs: 20_000,
      what: `${count} events processed ${outcome}`,
    });
  /** An event sent straight to the ingress, as LINE would, with a reply token `ageMs` old. */
  async function deliverAged(userId: string, text: string, ageMs: number) {
    const event = makeTextMessageEvent(text, {
      timestamp: Date.now() - ageMs,
      source: { type: "user", userId },
    });
    const { body, headers } = signedWebhook(
      makeEnvelope([event], stack.emulator.bot.userId),
      stack.channelSecret,
    );
    const response = await fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers });
    expect(response.status).toBe(200);
  }

  it("counts every outcome: ingress refusals, duplicates, fallbacks, retries and dead letters", async () => {
    const [a, b, c, d, e, f, g] = ["Ann", "Ben", "Cy", "Di", "Ed", "Flo", "Gus"].map(userIdOf) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];

    // 1. A plain reply.
    stack.emulator.sendEvent({ type: "text", from: a, text: "hello" });
    await untilProcessed("ok", 1);

    // 2. LINE delivers one event twice: one enqueued, one duplicate.
    stack.emulator.sendEvent({ type: "text", from: b, text: "twice", delivery: { duplicates: 1 } });
    await untilProcessed("ok", 2);

    // 3. LINE rejects the reply token: the answer goes by push.
    stack.emulator.addFault({
      match: { path: REPLY },
      status: 400,
      body: { message: "Invalid reply token" },
      times: 1,
    });
    stack.emulator.sendEvent({ type: "text", from: c, text: "token rejected" });
    await untilProcessed("ok", 3);

    // 4. A token too old to use: push at once.
    await deliverAged(d, "too old", 25_000);
    await untilProcessed("ok", 4);

    // 5. LINE answers 500, then 200: one retry. A second event of the same chat, in the same
    // request, waits in its lane meanwhile.
    stack.emulator.addFault({ match: { path: REPLY }, status: 500, times: 1 });
    stack.emulator.sendEvents({
      events: [
        { type: "text", from: e, text: "after a 500" },
        { type: "text", from: e, text: "behind it" },
      ],
    });
    await untilProcessed("ok", 6);

    // 6. LINE answers 401: the event fails for good.
    stack.emulator.addFault({
      match: { path: REPLY },
      status: 401,
      body: { message: "Authentication failed" },
      times: 1,
    });
    stack.emulator.sendEvent({ type: "text", from: f, text: "dead letter" });
    await untilProcessed("dead_letter", 1);

    // 7. A push LINE accepts but whose answer is lost; its retry gets a 409: already delivered.
    stack.emulator.addFault({ match: { path: PUSH }, dropAfterAccept: true, times: 1 });
    await deliverAged(g, "accepted before", 25_000);
    await untilProcessed("ok", 7);

    // Requests refused at the ingress.
    const url = `${stack.ingressUrl}/webhook`;
    const { body, headers } = signedWebhook(makeEnvelope([]), stack.channelSecret);
    const forged = { ...headers, "x-line-signature": "AAAA" };
    expect((await fetch(url, { method: "POST", body, headers: forged })).status).toBe(401);
    const notJson = signedWebhook("not json", stack.channelSecret);
    expect((await fetch(url, { method: "POST", ...notJson })).status).toBe(400);
    const big = signedWebhook(makeEnvelope([], "x".repeat(5_000)), stack.channelSecret);
    expect((await fetch(url, { method: "POST", ...big })).status).toBe(413);

    expect(botMessages(c).map((m) => m.via)).toEqual(["push"]);
    expect(botMessages(g).map((m) => m.via)).toEqual(["push"]);

    const ingress = await scrape(`${stack.ingressUrl}/metrics`);
    const webhooks = (outcome: string) =>
      ingress.value("linefleet_webhooks_total", { channel, outcome });
    // Emulator deliveries: 1 + 2 + 1 + 1 + 1 (for 1, 2, 3, 5, 6), and 2 sent straight (4, 7).
    expect({
      accepted: webhooks("accepted"),
      invalid_signature: webhooks("invalid_signature"),
      invalid_body: webhooks("invalid_body"),
      too_large: webhooks("too_large"),
      unavailable: webhooks("unavailable"),
    }).toEqual({
      accepted: 8,
      invalid_signature: 1,
      invalid_body: 1,
      too_large: 1,
      unavailable: 0,
    });
    const events = (result: string) =>
      ingress.value("linefleet_webhook_events_total", { channel, result });
    expect({ enqueued: events("enqueued"), duplicate: events("duplicate") }).toEqual({
      enqueued: 8,
      duplicate: 1,
    });
    expect(ingress.value("linefleet_webhook_ack_seconds_count")).toBe(11);
    expect(ingress.samples("process_cpu_seconds_total")).toHaveLength(1);

    const worker = await scrape(workerMetrics);
    expect(processedCounts(worker)).toEqual({
      "message/ok": 7,
      "message/retry": 2, // event 5 (500) and event 7 (lost answer)
      "message/dead_letter": 1,
    });
    expect(labelled(worker, "linefleet_sends_total", ["method", "outcome"])).toEqual({
      "reply/delivered": 4, // events 1, 2, 5's retry and the one behind it
      "reply/failed": 2, // event 3 (token rejected) and 6 (401)
      "reply/unknown": 1, // event 5's 500
      "push/delivered": 2, // events 3 and 4
      "push/unknown": 1, // event 7's lost answer
      "push/already_delivered": 1, // event 7's retry: 409
    });
    expect(labelled(worker, "linefleet_push_fallbacks_total", ["reason"])).toEqual({
      token_rejected: 1,
      token_too_old: 2,
    });
    expect(labelled(worker, "linefleet_line_api_errors_total", ["status"])).toEqual({
      "400": 1,
      "401": 1,
      "500": 1,
      network: 1,
    });
    // Replies sent with a token: 1, 2, 3, 5 twice, the one behind 5, 6; answers LINE accepted:
    // 1, 2, 3, 4, 5 and the one behind it.
    expect(worker.value("linefleet_reply_token_age_seconds_count")).toBe(7);
    expect(worker.value("linefleet_event_latency_seconds_count")).toBe(6);
    // Event 4's push went out 25 s after its event: the slowest answer.
    expect(worker.value("linefleet_event_latency_seconds_bucket", { le: "10" })).toBe(5);

    // Read at scrape time: the dead letter is the one job left.
    expect(labelled(worker, "linefleet_queue_jobs", ["state"])).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
      failed: 1,
    });
    expect(worker.value("linefleet_queue_oldest_waiting_seconds")).toBe(0);
    expect(worker.value("linefleet_lane_waits_total")).toBeGreaterThanOrEqual(1);
    expect(worker.samples("process_resident_memory_bytes")).toHaveLength(1);
  });

  it("serves /healthz and /readyz beside the worker's metrics", async () => {
    const base = workerMetrics.replace(/\/metrics$/, "");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });
});

function processedCounts(worker: Scrape) {
  return labelled(worker, "linefleet_events_processed_total", ["type", "outcome"]);
}

/** A metric's samples keyed by the chosen labels' values, joined with "/". */
function labelled(worker: Scrape, name: string, keys: string[]) {
  return Object.fromEntries(
    worker
      .samples(name)
      .map((sample) => [keys.map((key) => sample.labels[key]).join("/"), sample.value]),
  );
}
