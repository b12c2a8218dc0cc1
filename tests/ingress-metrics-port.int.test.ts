import {
  freePort,
  makeEnvelope,
  makeTextMessageEvent,
  type Stack,
  scrape,
  signedWebhook,
  startStack,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

describe("INGRESS_METRICS_PORT", () => {
  let stack: Stack;
  let metricsUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    stack = await startStack({
      redisUrl: inject("redisUrl"),
      lineApiUrl: "http://127.0.0.1:9",
      workers: 0,
      ingressEnv: { INGRESS_METRICS_PORT: String(port) },
    });
    await stack.ingress.waitForLine(
      (line) => typeof line === "object" && line.msg === "serving webhooks",
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("serves /metrics there, and not on the webhook port", async () => {
    const signed = signedWebhook(makeEnvelope([makeTextMessageEvent("hi")]), stack.channelSecret);
    const answer = await fetch(`${stack.ingressUrl}/webhook`, {
      method: "POST",
      body: signed.body,
      headers: signed.headers,
    });
    expect(answer.status).toBe(200);

    const metrics = await scrape(`${metricsUrl}/metrics`);
    expect(
      metrics.value("linefleet_webhooks_total", { channel: "default", outcome: "accepted" }),
    ).toBe(1);
    expect((await fetch(`${metricsUrl}/readyz`)).status).toBe(200);

    const onWebhookPort = await fetch(`${stack.ingressUrl}/metrics`);
    expect(onWebhookPort.status).toBe(404);
    expect(await onWebhookPort.text()).not.toContain("linefleet_");
    // The webhook port keeps its own health checks.
    expect((await fetch(`${stack.ingressUrl}/readyz`)).status).toBe(200);
  });
});
