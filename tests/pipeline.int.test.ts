import {
  type LineRecorder,
  makeEnvelope,
  makeEvent,
  makeTextMessageEvent,
  type Stack,
  signedWebhook,
  startLineRecorder,
  startStack,
  waitFor,
  waitForIdle,
} from "@linefleet/test-support";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";

const REPLY = "/v2/bot/message/reply";
const PUSH = "/v2/bot/message/push";

describe("ingress → Redis/BullMQ → worker → LINE", () => {
  let line: LineRecorder;
  let stack: Stack;

  beforeAll(async () => {
    line = await startLineRecorder();
  });
  afterAll(async () => {
    await line.close();
  });
  beforeEach(async () => {
    line.calls.length = 0;
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: line.url,
      workerEnv: { REPLY_TOKEN_MAX_AGE_MS: "20000" },
    });
  });
  afterEach(async () => {
    await stack.stop();
  });

  async function deliver(events: object[]) {
    const { body, headers } = signedWebhook(makeEnvelope(events), stack.channelSecret);
    return fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers });
  }

  it("answers a text message with one reply carrying its token and text", async () => {
    const event = makeTextMessageEvent("hello, linefleet 🍎");
    const response = await deliver([event]);
    expect(response.status).toBe(200);

    const [reply] = await waitFor(() => line.callsTo(REPLY).length > 0 && line.callsTo(REPLY), {
      what: "a reply",
    });
    expect(reply?.body).toEqual({
      replyToken: event.replyToken,
      messages: [{ type: "text", text: "hello, linefleet 🍎" }],
    });
    expect(reply?.headers["x-line-retry-key"]).toBeUndefined();
    expect(reply?.headers.authorization).toMatch(/^Bearer token-/);
    await waitForIdle(inject("redisUrl"), stack.prefix);
    expect(line.callsTo(REPLY)).toHaveLength(1);
    expect(line.callsTo(PUSH)).toHaveLength(0);
  });

  it("replies once to an event delivered three times", async () => {
    const event = makeTextMessageEvent("only once");
    const redelivered = { ...event, deliveryContext: { isRedelivery: true } };
    const statuses = [];
    for (const copy of [event, redelivered, redelivered])
      statuses.push((await deliver([copy])).status);
    expect(statuses).toEqual([200, 200, 200]);

    await waitFor(() => line.callsTo(REPLY).length > 0, { what: "a reply" });
    await waitForIdle(inject("redisUrl"), stack.prefix);
    expect(line.callsTo(REPLY)).toHaveLength(1);
    expect(line.callsTo(PUSH)).toHaveLength(0);
  });

  it("does not answer again when an event is redelivered after it was handled", async () => {
    const event = makeTextMessageEvent("handled already");
    expect((await deliver([event])).status).toBe(200);
    await waitFor(() => line.callsTo(REPLY).length > 0, { what: "a reply" });

    // Wait until BullMQ has finished the job (completed, or removed on completion).
    const redis = new Redis(inject("redisUrl"));
    try {
      const jobKey = `${stack.prefix}:line-events:${event.webhookEventId}`;
      const completedKey = `${stack.prefix}:line-events:completed`;
      await waitFor(
        async () =>
          (await redis.exists(jobKey)) === 0 ||
          (await redis.zscore(completedKey, event.webhookEventId)) !== null,
        { what: "the job to be finished" },
      );

      const redelivered = { ...event, deliveryContext: { isRedelivery: true } };
      expect((await deliver([redelivered])).status).toBe(200);
      await waitForIdle(inject("redisUrl"), stack.prefix);
      expect(line.callsTo(REPLY)).toHaveLength(1);
      expect(line.callsTo(PUSH)).toHaveLength(0);
      // Nothing new was queued for it either.
      expect(await redis.llen(`${stack.prefix}:line-events:wait`)).toBe(0);
      expect(await redis.llen(`${stack.prefix}:line-events:active`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it("pushes to the user, with a retry key, when the reply token is too old", async () => {
    const event = makeTextMessageEvent("late", { timestamp: Date.now() - 25_000 });
    expect((await deliver([event])).status).toBe(200);

    const [push] = await waitFor(() => line.callsTo(PUSH).length > 0 && line.callsTo(PUSH), {
      what: "a push",
    });
    const source = event.source as { userId: string };
    expect(push?.body).toEqual({ to: source.userId, messages: [{ type: "text", text: "late" }] });
    expect(push?.headers["x-line-retry-key"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    await waitForIdle(inject("redisUrl"), stack.prefix);
    expect(line.callsTo(REPLY)).toHaveLength(0);
  });

  it("pushes instead when LINE rejects the reply token", async () => {
    line.script(REPLY, { status: 400, body: { message: "Invalid reply token" } });
    const event = makeTextMessageEvent("rejected token", {
      source: { type: "group", groupId: `C${"a".repeat(32)}`, userId: `U${"b".repeat(32)}` },
    });
    expect((await deliver([event])).status).toBe(200);

    const [push] = await waitFor(() => line.callsTo(PUSH).length > 0 && line.callsTo(PUSH), {
      what: "a push",
    });
    expect(push?.body).toEqual({
      to: `C${"a".repeat(32)}`,
      messages: [{ type: "text", text: "rejected token" }],
    });
    await waitForIdle(inject("redisUrl"), stack.prefix);
    expect(line.callsTo(REPLY)).toHaveLength(1);
    expect(line.callsTo(PUSH)).toHaveLength(1);
  });

  it("sends nothing for events in standby mode", async () => {
    const standby = makeTextMessageEvent("module channel has the chat", {
      mode: "standby",
      replyToken: undefined,
    });
    const active = makeTextMessageEvent("after standby");
    expect((await deliver([standby, active])).status).toBe(200);

    await waitFor(() => line.callsTo(REPLY).length > 0, { what: "the active event's reply" });
    await waitForIdle(inject("redisUrl"), stack.prefix);
    expect(
      line.calls.map((call) => (call.body as { messages: { text: string }[] }).messages[0]?.text),
    ).toEqual(["after standby"]);
  });

  it("never logs the channel secret, the access token or a signature", async () => {
    const event = makeTextMessageEvent("secrets stay secret");
    const { body, headers } = signedWebhook(makeEnvelope([event]), stack.channelSecret);
    await fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers });
    await fetch(`${stack.ingressUrl}/webhook`, {
      method: "POST",
      body,
      headers: { ...headers, "x-line-signature": "AAAA" },
    });
    await waitFor(() => line.callsTo(REPLY).length > 0, { what: "a reply" });
    const token = String(line.callsTo(REPLY)[0]?.headers.authorization).replace("Bearer ", "");
    const logs = [stack.ingress, ...stack.workers].map((app) => app.output()).join("\n");
    expect(logs).toContain("webhook refused");
    for (const secret of [stack.channelSecret, token, headers["x-line-signature"]]) {
      expect(logs).not.toContain(secret);
    }
  });

  it("accepts event types it does not know and hands them to the fallback handler", async () => {
    const unknown = makeEvent("somethingLineAddsLater", { surprise: { nested: true } });
    expect((await deliver([unknown])).status).toBe(200);
    const line_ = await stack.workers[0]?.waitForLine(
      (entry) => entry.msg === "no handler for this event",
    );
    expect(line_?.type).toBe("somethingLineAddsLater");
  });
});
