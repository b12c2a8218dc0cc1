import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { createEmulator } from "../src/index.ts";
import { channelAccessToken, channelSecret, startEmulatorWithReceiver } from "./support/fixture.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request with exactly the headers given, `Host` and `Origin` included, as a browser
 * (or a DNS-rebinding page) would send them; fetch would set `Host` itself.
 */
function send(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
        );
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** Sends one event the way the chat UI does and waits until the emulator is done delivering it. */
async function deliverLegitimateEvent(baseUrl: string, text: string) {
  const host = new URL(baseUrl).host;
  const answer = await send(
    baseUrl,
    "POST",
    "/emulator/events",
    { host, origin: `http://${host}`, "content-type": "application/json" },
    JSON.stringify({ type: "text", text }),
  );
  expect(answer.status).toBe(202);
  const { deliveryId } = JSON.parse(answer.text) as { deliveryId: string };
  await running?.emulator.deliveryDone(deliveryId);
  return deliveryId;
}

const texts = () =>
  (running?.receiver.received ?? []).flatMap((webhook) =>
    webhook.body.events.map((event) => (event.message as { text?: string } | undefined)?.text),
  );

describe("the emulator refuses web pages", () => {
  it("refuses a cross-origin or non-JSON state change, and sends no webhook for it", async () => {
    running = await startEmulatorWithReceiver();
    const { url } = running.emulator;
    const host = new URL(url).host;
    const event = JSON.stringify({ type: "text", text: "forged" });
    // A page on another origin can send these without a CORS preflight.
    const simple = await send(
      url,
      "POST",
      "/emulator/events",
      { host, origin: "http://attacker.example", "content-type": "text/plain" },
      event,
    );
    expect(simple.status).toBe(403);
    expect(JSON.parse(simple.text)).toMatchObject({ code: "LF_EMULATOR_CROSS_ORIGIN" });
    const withoutOrigin = await send(
      url,
      "POST",
      "/emulator/events",
      { host, "content-type": "text/plain" },
      event,
    );
    expect(withoutOrigin.status).toBe(415);
    expect(JSON.parse(withoutOrigin.text)).toMatchObject({ code: "LF_EMULATOR_NOT_JSON" });
    const form = await send(
      url,
      "POST",
      "/emulator/reset",
      { host, "content-type": "application/x-www-form-urlencoded" },
      "",
    );
    expect(form.status).toBe(415);
    // JSON from another origin (after a preflight the emulator never grants) is refused too.
    const json = await send(
      url,
      "POST",
      "/emulator/events",
      { host, origin: "http://attacker.example", "content-type": "application/json" },
      event,
    );
    expect(json.status).toBe(403);
    const redirect = await send(
      url,
      "PUT",
      "/emulator/config",
      { host, origin: "null", "content-type": "application/json" },
      JSON.stringify({ webhookUrl: "http://attacker.example/hook" }),
    );
    expect(redirect.status).toBe(403);
    expect(running.emulator.config().webhookUrl).toBe(running.receiver.url);

    // The refusals were answered; the one legitimate event is the only one delivered.
    const deliveryId = await deliverLegitimateEvent(url, "legitimate");
    expect(texts()).toEqual(["legitimate"]);
    expect(running.emulator.deliveries().map((d) => d.deliveryId)).toEqual([deliveryId]);
  });

  it("refuses a Host it does not answer to on every surface (DNS rebinding)", async () => {
    running = await startEmulatorWithReceiver();
    const { url } = running.emulator;
    const rebound = `attacker.example:${new URL(url).port}`;
    const json = { host: rebound, "content-type": "application/json" };
    const attempts: Array<[string, string, Record<string, string>, string?]> = [
      ["GET", "/", { host: rebound }],
      ["GET", "/emulator/state", { host: rebound }],
      ["GET", "/emulator/api-calls", { host: rebound }],
      ["POST", "/emulator/events", json, JSON.stringify({ type: "text", text: "rebound" })],
      ["POST", "/emulator/verify", json, "{}"],
      ["GET", "/v2/bot/info", { host: rebound, authorization: `Bearer ${channelAccessToken}` }],
    ];
    for (const [method, path, headers, body] of attempts) {
      const answer = await send(url, method, path, headers, body);
      expect(answer.status, `${method} ${path}`).toBe(421);
      expect(answer.headers["content-type"]).toMatch(/application\/json/);
      expect(JSON.parse(answer.text)).toMatchObject({
        code: "LF_EMULATOR_HOST_NOT_ALLOWED",
        message: expect.stringContaining("attacker.example"),
      });
    }
    await deliverLegitimateEvent(url, "legitimate");
    expect(texts()).toEqual(["legitimate"]);
  });

  it("answers its loopback names, its listen address and the names it is given", async () => {
    const emulator = createEmulator({
      channelSecret,
      channelAccessToken,
      allowedHosts: ["emulator"],
    });
    // 127.0.0.2 is loopback too, but not one of the names every emulator answers to.
    await emulator.listen({ port: 0, host: "127.0.0.2" });
    onTestFinished(() => emulator.close());
    const port = new URL(emulator.url).port;
    const botInfo = (host: string) =>
      send(emulator.url, "GET", "/v2/bot/info", {
        host,
        authorization: `Bearer ${channelAccessToken}`,
      });
    for (const name of ["localhost", "127.0.0.1", "[::1]", "127.0.0.2", "emulator", "EMULATOR"]) {
      const answer = await botInfo(`${name}:${port}`);
      expect(answer.status, name).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ userId: emulator.bot.userId });
    }
    expect((await botInfo(`127.0.0.3:${port}`)).status).toBe(421);
    expect((await botInfo(`emulator.attacker.example:${port}`)).status).toBe(421);
  });

  it("grants no CORS: neither a preflight nor a read carries Access-Control headers", async () => {
    running = await startEmulatorWithReceiver();
    const { url } = running.emulator;
    const host = new URL(url).host;
    const preflight = await send(url, "OPTIONS", "/emulator/events", {
      host,
      origin: "http://attacker.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    const read = await send(url, "GET", "/emulator/state", {
      host,
      origin: "http://attacker.example",
    });
    expect(read.status).toBe(200);
    for (const answer of [preflight, read]) {
      const granted = Object.keys(answer.headers).filter((name) =>
        name.startsWith("access-control"),
      );
      expect(granted).toEqual([]);
    }
  });
});

describe("the API-call log", () => {
  it("never shows an issued access token or a client secret", async () => {
    running = await startEmulatorWithReceiver({ channelId: "1600000009" });
    const { url } = running.emulator;
    const host = new URL(url).host;
    const stream = await fetch(`${url}/emulator/stream`);
    const issued = await fetch(`${url}/v2/oauth/accessToken`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: "1600000009",
        client_secret: channelSecret,
      }),
    });
    expect(issued.status).toBe(200);
    const token = ((await issued.json()) as { access_token: string }).access_token;
    const verified = await fetch(`${url}/v2/oauth/verify`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: token }),
    });
    expect(verified.status).toBe(200);

    const listed = await send(url, "GET", "/emulator/api-calls", { host });
    const calls = JSON.parse(listed.text) as Array<{ path: string; status: number }>;
    expect(calls.map((call) => [call.path, call.status])).toEqual([
      ["/v2/oauth/accessToken", 200],
      ["/v2/oauth/verify", 200],
    ]);
    expect(listed.text).toContain("[redacted]");
    expect(listed.text).not.toContain(token);
    expect(listed.text).not.toContain(channelSecret);

    // The chat UI's live feed shows the same entries, redacted the same way.
    const reader = stream.body?.getReader();
    if (!reader) throw new Error("no stream body");
    let feed = "";
    while ((feed.match(/"kind":"api-call"/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      feed += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(feed).toContain("/v2/oauth/verify");
    expect(feed).not.toContain(token);
    expect(feed).not.toContain(channelSecret);
  });
});
