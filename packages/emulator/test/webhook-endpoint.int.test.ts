import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createTestPki } from "@linefleet/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { channelAccessToken, startEmulatorWithReceiver } from "./support/fixture.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  running = await startEmulatorWithReceiver();
  const { emulator } = running;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${channelAccessToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      requestId: response.headers.get("x-line-request-id"),
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  return { ...running, call };
}

describe("webhook endpoint API, as LINE's contract has it", () => {
  it("get and set the endpoint: HTTPS (or loopback HTTP) of at most 500 characters", async () => {
    const { call, receiver } = await start();
    const got = await call("GET", "/v2/bot/channel/webhook/endpoint");
    expect(got).toMatchObject({ status: 200, body: { endpoint: receiver.url, active: true } });
    expect(got.requestId).toMatch(/^[0-9a-f-]{36}$/);

    for (const endpoint of [
      "ftp://bot.example.com/webhook",
      "http://bot.example.com/webhook",
      `https://bot.example.com/${"a".repeat(480)}`,
      42,
    ]) {
      expect(await call("PUT", "/v2/bot/channel/webhook/endpoint", { endpoint })).toMatchObject({
        status: 400,
        body: { message: "Invalid webhook endpoint URL" },
      });
    }
    const set = await call("PUT", "/v2/bot/channel/webhook/endpoint", {
      endpoint: "https://bot.example.com/webhook",
    });
    expect(set).toMatchObject({ status: 200, body: {} });
    expect((await call("GET", "/v2/bot/channel/webhook/endpoint")).body.endpoint).toBe(
      "https://bot.example.com/webhook",
    );
  });

  it("test: sends a signed events: [] webhook and reports statusCode, reason and detail", async () => {
    const { call, receiver } = await start();
    receiver.answerNext({ status: 200 }, { status: 401 });
    const ok = await call("POST", "/v2/bot/channel/webhook/test", {});
    expect(ok.body).toMatchObject({ success: true, statusCode: 200, reason: "OK", detail: "200" });
    expect(typeof ok.body.timestamp).toBe("string");
    expect(receiver.received[0]?.signatureValid).toBe(true);
    expect(receiver.received[0]?.body.events).toEqual([]);

    const refused = await call("POST", "/v2/bot/channel/webhook/test", { endpoint: receiver.url });
    expect(refused.body).toMatchObject({
      success: false,
      statusCode: 401,
      reason: "ERROR_STATUS_CODE",
      detail: "401",
    });
    expect(
      await call("POST", "/v2/bot/channel/webhook/test", { endpoint: "not a url" }),
    ).toMatchObject({ status: 400, body: { message: "Invalid webhook endpoint URL" } });
  });

  it("test: a certificate LINE cannot verify is a TLS handshake failure", async () => {
    const { call } = await start();
    const pki = await createTestPki("emulator test");
    const self = await pki.selfSigned({ hostnames: ["localhost"] });
    const server = createServer({ cert: self.cert, key: self.key }, (_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `https://localhost:${(server.address() as AddressInfo).port}/webhook`;
      const tested = await call("POST", "/v2/bot/channel/webhook/test", { endpoint });
      expect(tested.body).toMatchObject({
        success: false,
        statusCode: 0,
        reason: "COULD_NOT_CONNECT",
        detail: `TLS handshake failure: ${endpoint}`,
      });
    } finally {
      server.close();
    }
  });
});
