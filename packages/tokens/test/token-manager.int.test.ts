import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createEmulator, type Emulator } from "@linefleet/emulator";
import type { TokenSource } from "@linefleet/line-client";
import { createLineClient } from "@linefleet/line-client";
import { redisKeys } from "@linefleet/store";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createTokenIssuer, createTokenManager } from "../src/index.ts";

const STATELESS = "/oauth2/v3/token";
const SHORT_LIVED = "/v2/oauth/accessToken";
const V21 = "/oauth2/v2.1/token";

describe("managed channel access tokens against the emulated LINE", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const clock = { now: Date.now() };
  const now = () => clock.now;
  let emulator: Emulator;
  const connections: Redis[] = [];

  beforeAll(async () => {
    emulator = createEmulator({
      channelSecret: "channel-secret",
      channelAccessToken: "long-lived-token",
      channelId: "1660000001",
      assertionKeys: { "key-1": publicKey.export({ type: "spki", format: "pem" }).toString() },
      now,
    });
    await emulator.listen();
  });
  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await emulator.close();
  });
  afterEach(() => {
    emulator.reset();
    emulator.configure({ tokenLifetimeMs: null });
  });

  /** One manager per Redis connection: each stands for a separate process. */
  function managers(
    count: number,
    mode:
      | { kind: "stateless" | "short-lived"; channelId: string }
      | { kind: "v2.1"; channelId: string; kid: string; privateKeyFile: string },
    prefix = `t-${randomUUID()}`,
  ): TokenSource[] {
    return Array.from({ length: count }, () => {
      const redis = new Redis(inject("redisUrl"));
      connections.push(redis);
      return createTokenManager({
        redis,
        keys: redisKeys(prefix),
        channel: "main",
        now,
        issuer: createTokenIssuer(mode, {
          channelSecret: "channel-secret",
          apiBaseUrl: emulator.url,
          now,
          tokenExpSeconds: 3600,
          readFile: () => privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        }),
      });
    });
  }

  const calls = (path: string, status = 200) =>
    emulator.apiCalls().filter((call) => call.path === path && call.status === status);
  const issuedTokens = (path: string) =>
    calls(path).map((call) => (call.response as { access_token: string }).access_token);

  it("N processes asking at once cause one issuance, and all get that token", async () => {
    const fleet = managers(5, { kind: "stateless", channelId: "1660000001" });
    const tokens = await Promise.all(fleet.flatMap((m) => [m.get(), m.get(), m.get()]));
    expect(calls(STATELESS)).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(issuedTokens(STATELESS)));
  });

  it("renews once less than a fifth of the lifetime is left, once for the fleet", async () => {
    emulator.configure({ tokenLifetimeMs: 100_000 });
    const fleet = managers(3, { kind: "stateless", channelId: "1660000001" });
    const first = await fleet[0]?.get();
    clock.now += 79_000; // 21% left: still fresh
    expect(await Promise.all(fleet.map((m) => m.get()))).toEqual([first, first, first]);
    expect(calls(STATELESS)).toHaveLength(1);
    clock.now += 2_000; // 19% left: renewed, by exactly one of them
    // While one renews, the others keep using the old token: it still works.
    const during = await Promise.all(fleet.map((m) => m.get()));
    expect(calls(STATELESS)).toHaveLength(2);
    const renewed = issuedTokens(STATELESS)[1];
    expect(during).toContain(renewed);
    for (const token of during) expect([first, renewed]).toContain(token);
    expect(await Promise.all(fleet.map((m) => m.get()))).toEqual([renewed, renewed, renewed]);
    expect(calls(STATELESS)).toHaveLength(2);
  });

  it("short-lived: a replaced token is revoked, so the cap of 30 is never reached", async () => {
    emulator.configure({ tokenLifetimeMs: 100_000 });
    const [manager] = managers(1, { kind: "short-lived", channelId: "1660000001" });
    const seen: string[] = [];
    for (let round = 0; round < 35; round++) {
      seen.push((await manager?.get()) ?? "");
      clock.now += 85_000;
    }
    expect(new Set(seen).size).toBe(35);
    await waitForCalls("/v2/oauth/revoke", 34);
    // Every replaced token is gone at LINE; only the newest still verifies.
    for (const old of seen.slice(0, -1)) {
      const verify = await postForm("/v2/oauth/verify", { access_token: old });
      expect(verify.status).toBe(400);
    }
    const newest = await postForm("/v2/oauth/verify", { access_token: seen.at(-1) ?? "" });
    expect(newest.status).toBe(200);
    expect(calls(SHORT_LIVED)).toHaveLength(35);
  });

  it("v2.1: issues with a signed assertion and revokes the token it replaces", async () => {
    emulator.configure({ tokenLifetimeMs: 100_000 });
    const [manager] = managers(1, {
      kind: "v2.1",
      channelId: "1660000001",
      kid: "key-1",
      privateKeyFile: "unused: readFile is injected",
    });
    const first = await manager?.get();
    clock.now += 85_000;
    const second = await manager?.get();
    expect(second).not.toBe(first);
    expect(calls(V21)).toHaveLength(2);
    const [revoke] = await waitForCalls("/oauth2/v2.1/revoke", 1);
    expect(revoke?.body).toMatchObject({ access_token: first, client_id: "1660000001" });
    const verify = await fetch(`${emulator.url}/oauth2/v2.1/verify?access_token=${first}`);
    expect(verify.status).toBe(400);
  });

  it("an expired token is refused on every API call", async () => {
    emulator.configure({ tokenLifetimeMs: 10_000 });
    const [manager] = managers(1, { kind: "stateless", channelId: "1660000001" });
    const token = await manager?.get();
    const info = () =>
      fetch(`${emulator.url}/v2/bot/info`, { headers: { authorization: `Bearer ${token}` } });
    expect((await info()).status).toBe(200);
    clock.now += 10_000;
    const refused = await info();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toMatch(/expired/);
  });

  it("a 401 invalidates the token once for every caller and retries each call once", async () => {
    const [manager, other] = managers(2, { kind: "stateless", channelId: "1660000001" });
    if (!manager || !other) throw new Error("no managers");
    const client = createLineClient({ tokens: manager, apiBaseUrl: emulator.url });
    const first = await manager.get();
    // LINE stops accepting the token (say it was revoked at the console): every call in flight
    // gets a 401 once.
    emulator.addFault({
      match: { path: "/v2/bot/message/push" },
      status: 401,
      body: { message: "Authentication failed. Confirm that the access token is valid." },
      times: 5,
    });
    const userId = emulator.state().users[0]?.userId ?? "";
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.push(userId, [{ type: "text", text: "hi" }], randomUUID()),
      ),
    );
    expect(results.every((r) => r.sentMessages.length === 1)).toBe(true);
    const pushes = emulator.apiCalls().filter((c) => c.path === "/v2/bot/message/push");
    expect(pushes.filter((c) => c.status === 401)).toHaveLength(5);
    expect(pushes.filter((c) => c.status === 200)).toHaveLength(5);
    // One new token for everyone, the other process included.
    expect(calls(STATELESS)).toHaveLength(2);
    const renewed = issuedTokens(STATELESS)[1];
    expect(renewed).not.toBe(first);
    expect(await other.get()).toBe(renewed);
    expect(emulator.messages(userId).filter((m) => m.from === "bot")).toHaveLength(5);
  });

  async function postForm(path: string, form: Record<string, string>) {
    return fetch(`${emulator.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
    });
  }

  async function waitForCalls(path: string, count: number) {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = calls(path);
      if (found.length >= count || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});
