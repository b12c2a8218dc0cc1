import {
  type LineRecorder,
  makeEnvelope,
  makeTextMessageEvent,
  type Stack,
  signedWebhook,
  startLineRecorder,
  startLocalRedisServer,
  startStack,
  type TestRedis,
  waitFor,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("when Redis goes away", () => {
  let redis: TestRedis;
  let line: LineRecorder;
  let stack: Stack;

  beforeAll(async () => {
    redis = await startLocalRedisServer({ appendOnly: true });
    line = await startLineRecorder();
    stack = await startStack({ redisUrl: redis.url, lineApiUrl: line.url });
  });
  afterAll(async () => {
    await stack?.stop();
    await line?.close();
    await redis?.close();
  });

  const deliver = (events: object[]) => {
    const { body, headers } = signedWebhook(makeEnvelope(events), stack.channelSecret);
    return fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers });
  };

  it("answers 503 (so LINE redelivers) and loses nothing once Redis is back", async () => {
    const before = makeTextMessageEvent("before the outage");
    expect((await deliver([before])).status).toBe(200);
    await waitFor(() => line.callsTo("/v2/bot/message/reply").length === 1, {
      what: "the first reply",
    });

    await redis.stop();
    const during = makeTextMessageEvent("during the outage");
    const started = Date.now();
    const refused = await deliver([during]);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ ok: false, error: "queue_unavailable" });
    // Well inside LINE's 2 s timeout, or LINE would count a timeout rather than a refusal.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await fetch(`${stack.ingressUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${stack.ingressUrl}/healthz`)).status).toBe(200);

    await redis.start();
    await waitFor(async () => (await fetch(`${stack.ingressUrl}/readyz`)).status === 200, {
      timeoutMs: 15_000,
      what: "readiness after Redis came back",
    });
    // LINE redelivers the refused request: same event, same id.
    const redelivered = { ...during, deliveryContext: { isRedelivery: true } };
    expect((await deliver([redelivered])).status).toBe(200);

    const texts = () =>
      line
        .callsTo("/v2/bot/message/reply")
        .map((call) => (call.body as { messages: { text: string }[] }).messages[0]?.text);
    await waitFor(() => texts().length === 2, {
      timeoutMs: 20_000,
      what: "the redelivered event's reply",
    });
    expect(texts()).toEqual(["before the outage", "during the outage"]);
  });
});
