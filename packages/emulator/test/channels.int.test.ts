import { afterEach, describe, expect, it } from "vitest";
import { createEmulator, type Emulator } from "../src/index.ts";
import { manualClock } from "./support/fixture.ts";
import { startReceiver } from "./support/receiver.ts";

/** Several channels at once, and LINE's channel access token endpoints. */
describe("emulated channels", () => {
  let emulator: Emulator;
  const clock = manualClock();
  afterEach(async () => {
    await emulator.close();
  });

  async function start() {
    emulator = createEmulator({
      channelSecret: "secret-a",
      channelAccessToken: "token-a",
      channelName: "a",
      channelId: "1600000001",
      channels: [{ name: "b", channelSecret: "secret-b", channelId: "1600000002" }],
      now: clock.now,
    });
    await emulator.listen();
    return emulator;
  }

  const form = (path: string, fields: Record<string, string>) =>
    fetch(`${emulator.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }));
  const botInfo = (token: string) =>
    fetch(`${emulator.url}/v2/bot/info`, { headers: { authorization: `Bearer ${token}` } }).then(
      async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
      }),
    );
  const credentials = {
    grant_type: "client_credentials",
    client_id: "1600000002",
    client_secret: "secret-b",
  };

  it("sends each channel's webhooks to its own URL, signed with its own secret, for its own bot", async () => {
    await start();
    const a = await startReceiver("secret-a");
    const b = await startReceiver("secret-b");
    try {
      emulator.configure({ webhookUrl: a.url, channels: { b: { webhookUrl: b.url } } });
      const sent = emulator.sendEvent({ type: "text", text: "to b", channel: "b" });
      const [delivery] = await emulator.waitForDeliveries((d) => d.channel === "b");
      expect(delivery?.status).toBe(200);
      const body = delivery?.body ?? "";
      expect(JSON.parse(body).destination).toBe(emulator.channel("b").bot.userId);
      expect(JSON.parse(body).destination).not.toBe(emulator.channel("a").bot.userId);
      // b's receiver checks the signature with b's secret; a's receiver got nothing.
      expect(b.received.map((w) => w.signatureValid)).toEqual([true]);
      expect(a.received).toEqual([]);
      expect(emulator.state().channels.map((c) => [c.name, c.webhookUrl])).toEqual([
        ["a", a.url],
        ["b", b.url],
      ]);
      // b's reply token works only with b's token: a's bot cannot use it, and does not use it up.
      const reply = (token: string) =>
        fetch(`${emulator.url}/v2/bot/message/reply`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            replyToken: sent.replyToken,
            messages: [{ type: "text", text: "hi" }],
          }),
        });
      expect((await reply("token-a")).status).toBe(400);
      const issued = await form("/oauth2/v3/token", credentials);
      expect((await reply(String(issued.body.access_token))).status).toBe(200);
      expect(() => emulator.sendEvent({ type: "text", text: "x", channel: "nope" })).toThrow(
        /no channel named nope/,
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("issues stateless tokens that speak for their channel until they expire", async () => {
    await start();
    const issued = await form("/oauth2/v3/token", credentials);
    expect(issued).toMatchObject({ status: 200, body: { expires_in: 900, token_type: "Bearer" } });
    const token = String(issued.body.access_token);
    expect(await botInfo(token)).toMatchObject({
      status: 200,
      body: { userId: emulator.channel("b").bot.userId },
    });
    expect((await botInfo("token-a")).body.userId).toBe(emulator.channel("a").bot.userId);
    // Stateless tokens cannot be revoked.
    expect((await form("/v2/oauth/revoke", { access_token: token })).status).toBe(400);
    clock.advance(900_000);
    expect((await botInfo(token)).status).toBe(401);
  });

  it("refuses wrong credentials in LINE's OAuth error shape", async () => {
    await start();
    expect(await form("/oauth2/v3/token", { ...credentials, client_secret: "wrong" })).toEqual({
      status: 400,
      body: { error: "invalid_client", error_description: "invalid client_secret" },
    });
    expect(
      (await form("/v2/oauth/accessToken", { ...credentials, client_id: "999" })).body,
    ).toMatchObject({ error: "invalid_client" });
    expect(
      (await form("/v2/oauth/accessToken", { ...credentials, grant_type: "password" })).body,
    ).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("short-lived: 30 days, at most 30 active (the oldest revoked), verify and revoke", async () => {
    await start();
    const tokens: string[] = [];
    for (let i = 0; i < 31; i++) {
      const issued = await form("/v2/oauth/accessToken", credentials);
      expect(issued.body.expires_in).toBe(2_592_000);
      tokens.push(String(issued.body.access_token));
      clock.advance(1);
    }
    expect((await botInfo(tokens[0] ?? "")).status).toBe(401);
    expect((await botInfo(tokens[1] ?? "")).status).toBe(200);
    const verified = await form("/v2/oauth/verify", { access_token: tokens[1] ?? "" });
    expect(verified.body).toMatchObject({ client_id: "1600000002" });
    expect((await form("/v2/oauth/revoke", { access_token: tokens[1] ?? "" })).status).toBe(200);
    expect((await botInfo(tokens[1] ?? "")).status).toBe(401);
    expect(await form("/v2/oauth/verify", { access_token: tokens[1] ?? "" })).toMatchObject({
      status: 400,
    });
  });

  it("a lifetime knob shortens tokens issued from then on", async () => {
    await start();
    emulator.configure({ tokenLifetimeMs: 5_000 });
    const issued = await form("/v2/oauth/accessToken", credentials);
    expect(issued.body.expires_in).toBe(5);
    clock.advance(4_999);
    expect((await botInfo(String(issued.body.access_token))).status).toBe(200);
    clock.advance(1);
    expect((await botInfo(String(issued.body.access_token))).status).toBe(401);
    emulator.configure({ tokenLifetimeMs: null });
    expect((await form("/v2/oauth/accessToken", credentials)).body.expires_in).toBe(2_592_000);
  });
});
