import { connect } from "node:net";
import {
  makeEnvelope,
  makeTextMessageEvent,
  makeUserId,
  type Stack,
  signedWebhook,
  startStack,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/**
 * Hostile requests among normal ones, through the real ingress process: the normal ones must
 * still be answered 200 — which the ingress gives only once their events are in Redis, within
 * ENQUEUE_TIMEOUT_MS (else 503).
 */
describe("one request never hurts another at the ingress", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      // Nothing to answer: the ingress alone is under test.
      lineApiUrl: "http://127.0.0.1:9",
      workers: 0,
      ingressEnv: { WEBHOOK_BODY_LIMIT: String(16 * 1024 * 1024) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function post(payload: object | string): Promise<number> {
    const { body, headers } = signedWebhook(payload, stack.channelSecret);
    const response = await fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers });
    await response.arrayBuffer();
    return response.status;
  }
  const normal = () =>
    makeEnvelope([makeTextMessageEvent("hi", { source: { type: "user", userId: makeUserId() } })]);
  /** Normal requests: ten at once, then ten more spread over the next half second. */
  const normalTraffic = async () => {
    const sent = Array.from({ length: 10 }, () => post(normal()));
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      sent.push(post(normal()));
    }
    return Promise.all(sent);
  };

  it("answers 400 to an event nested 5,000 levels deep, and 200 to the others", async () => {
    // Built as text: JSON.stringify itself cannot write such a value.
    const event = JSON.stringify(
      makeTextMessageEvent("deep", { source: { type: "user", userId: makeUserId() } }),
    );
    const deep = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;
    const hostile = `{"destination":"U${"0".repeat(32)}","events":[${event.slice(0, -1)},"deep":${deep}}]}`;

    const [hostileStatus, others] = await Promise.all([post(hostile), normalTraffic()]);

    expect(hostileStatus).toBe(400);
    expect(others).toEqual(others.map(() => 200));
  });

  it("answers the requests that arrive with a 10,000-event request in time", async () => {
    const huge = makeEnvelope(
      Array.from({ length: 10_000 }, (_, i) =>
        makeTextMessageEvent(`huge ${i}`, { source: { type: "user", userId: makeUserId() } }),
      ),
    );

    const [hugeStatus, others] = await Promise.all([post(huge), normalTraffic()]);

    expect(others).toEqual(others.map(() => 200));
    // The huge request itself is answered too: 200, or 503 if it took longer than the bound
    // (LINE then redelivers, and finds the events that did land deduped).
    expect([200, 503]).toContain(hugeStatus);
    console.info(`10,000-event request answered ${hugeStatus}`);
  });

  it("cuts a request still arriving after 10 s, within about a second of the bound", async () => {
    const { port } = new URL(stack.ingressUrl);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const started = Date.now();
    // Headers and a first part of the body, then nothing more: a client that never finishes.
    socket.write(
      "POST /webhook HTTP/1.1\r\nHost: ingress\r\nContent-Type: application/json\r\n" +
        "Content-Length: 1000\r\n\r\n{",
    );
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString();
    });
    await new Promise((resolve) => socket.once("close", resolve));
    const heldMs = Date.now() - started;

    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Node checks the bound every connectionsCheckingInterval: 30 s by default, 1 s here.
    expect(heldMs).toBeGreaterThanOrEqual(9_500);
    expect(heldMs).toBeLessThan(15_000);
  }, 30_000);
});
