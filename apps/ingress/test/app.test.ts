import { PassThrough } from "node:stream";
import { createWebhookHandler, ingressEnvSchema, maxEventAgeOf } from "@linefleet/ingress";
import { createLogger } from "@linefleet/log";
import { createIngressMetrics, createRegistry } from "@linefleet/metrics";
import { RedisMayEvictError } from "@linefleet/store";
import { makeEnvelope, makeTextMessageEvent, signedWebhook } from "@linefleet/test-support";
import type { WebhookEnvelope } from "@linefleet/webhook";
import { describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";

const SECRET = "test-channel-secret-0123456789ab";

function setup(
  enqueue: (envelope: WebhookEnvelope) => Promise<void> = async () => {},
  bodyLimit = 1024 * 1024,
) {
  const logs = new PassThrough();
  let logged = "";
  logs.on("data", (chunk: Buffer) => {
    logged += chunk.toString();
  });
  const enqueued: WebhookEnvelope[] = [];
  const app = buildApp({
    logger: createLogger({ name: "ingress", level: "debug", destination: logs }),
    bodyLimit,
    webhooks: {
      "/webhook": {
        channel: "default",
        handle: createWebhookHandler({
          channelSecret: SECRET,
          enqueueTimeoutMs: 100,
          enqueue: async (envelope) => {
            await enqueue(envelope);
            enqueued.push(envelope);
          },
        }),
      },
    },
    checkReady: async () => {},
  });
  return { app, enqueued, logs: () => logged };
}

const post = (
  app: ReturnType<typeof setup>["app"],
  payload: string,
  headers: Record<string, string>,
) => app.inject({ method: "POST", url: "/webhook", payload, headers });

describe("POST /webhook", () => {
  it("accepts a signed request and hands over its events", async () => {
    const { app, enqueued } = setup();
    const event = makeTextMessageEvent("hi");
    const { body, headers } = signedWebhook(makeEnvelope([event]), SECRET);
    const response = await post(app, body, headers);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, events: 1 });
    expect(enqueued[0]?.events[0]).toEqual(event);
  });

  it("answers the console's Verify request (no events) with 200", async () => {
    const { app } = setup();
    const { body, headers } = signedWebhook(
      '{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}',
      SECRET,
    );
    expect((await post(app, body, headers)).statusCode).toBe(200);
  });

  it("refuses a missing or wrong signature with 401 before parsing, and queues nothing", async () => {
    const { app, enqueued } = setup();
    const { body, headers } = signedWebhook(makeEnvelope([makeTextMessageEvent("x")]), SECRET);
    const missing = await post(app, body, { "content-type": "application/json" });
    const wrong = await post(app, body, {
      ...headers,
      "x-line-signature": signedWebhook(body, "other").headers["x-line-signature"],
    });
    const notEvenJson = await post(app, "{oops", { "content-type": "application/json" });
    for (const response of [missing, wrong, notEvenJson]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ ok: false, error: "invalid_signature" });
    }
    expect(enqueued).toHaveLength(0);
  });

  it("checks the signature whatever the content type says", async () => {
    const { app } = setup();
    const { body, headers } = signedWebhook(makeEnvelope([]), SECRET);
    const response = await post(app, body, { ...headers, "content-type": "text/plain" });
    expect(response.statusCode).toBe(200);
  });

  it("answers 400 to a signed body that is not JSON or not an envelope", async () => {
    const { app, enqueued } = setup();
    for (const payload of ["{oops", '{"events":"nope"}', "[]"]) {
      const { body, headers } = signedWebhook(payload, SECRET);
      const response = await post(app, body, headers);
      expect(response.statusCode).toBe(400);
      expect(["invalid_json", "invalid_envelope"]).toContain(response.json().error);
    }
    expect(enqueued).toHaveLength(0);
  });

  it("answers 413 to a body over the limit", async () => {
    const { app, enqueued } = setup(async () => {}, 1024);
    const { body, headers } = signedWebhook(
      makeEnvelope([makeTextMessageEvent("x".repeat(2000))]),
      SECRET,
    );
    const response = await post(app, body, headers);
    expect(response.statusCode).toBe(413);
    expect(enqueued).toHaveLength(0);
  });

  it("answers 503 when the queue fails or is slower than the bound", async () => {
    const failing = setup(async () => {
      throw new Error("Connection is closed.");
    });
    const slow = setup(() => new Promise((resolve) => setTimeout(resolve, 500)));
    const { body, headers } = signedWebhook(makeEnvelope([makeTextMessageEvent("x")]), SECRET);
    for (const { app } of [failing, slow]) {
      const response = await post(app, body, headers);
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ ok: false, error: "queue_unavailable" });
    }
  });

  it("never logs the signature", async () => {
    const { app, logs } = setup();
    const { body } = signedWebhook(makeEnvelope([]), SECRET);
    const forged = signedWebhook(body, "a guess at the secret").headers;
    await post(app, body, forged);
    expect(logs()).toContain("webhook refused");
    expect(logs()).not.toContain(forged["x-line-signature"]);
    expect(logs()).not.toContain(SECRET);
  });
});

describe("health", () => {
  it("/healthz answers while the process lives; /readyz follows Redis", async () => {
    let redisUp = true;
    const app = buildApp({
      logger: createLogger({ name: "ingress", level: "silent" }),
      bodyLimit: 1024,
      webhooks: {
        "/webhook": {
          channel: "default",
          handle: async () => ({
            status: 503,
            body: { ok: false, error: "queue_unavailable", message: "" },
          }),
        },
      },
      checkReady: async () => {
        if (!redisUp) throw new Error("down");
      },
    });
    expect((await app.inject("/healthz")).statusCode).toBe(200);
    expect((await app.inject("/readyz")).statusCode).toBe(200);
    redisUp = false;
    expect((await app.inject("/readyz")).statusCode).toBe(503);
    expect((await app.inject("/healthz")).statusCode).toBe(200);
  });
});

describe("readiness on a Redis that may evict", () => {
  it("/readyz answers 503 with the policy and the fix, and logs it as an error", async () => {
    const logs = new PassThrough();
    let logged = "";
    logs.on("data", (chunk: Buffer) => {
      logged += chunk.toString();
    });
    const app = buildApp({
      logger: createLogger({ name: "ingress", level: "info", destination: logs }),
      bodyLimit: 1024,
      webhooks: {},
      checkReady: async () => {
        throw new RedisMayEvictError("volatile-lru");
      },
    });
    const response = await app.inject("/readyz");
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ ok: false, error: "redis_may_evict" });
    expect(response.json().reason).toContain("maxmemory-policy is volatile-lru");
    expect(response.json().reason).toContain("noeviction");
    const line = JSON.parse(logged.trim().split("\n").at(-1) ?? "{}");
    expect(line).toMatchObject({ level: 50, policy: "volatile-lru" });
  });
});

describe("TLS settings", () => {
  const base = { LINE_CHANNEL_SECRET: SECRET };
  it("takes TLS_CERT_FILE and TLS_KEY_FILE together, and names the one missing", () => {
    expect(
      ingressEnvSchema.parse({ ...base, TLS_CERT_FILE: "a.pem", TLS_KEY_FILE: "k.pem" }),
    ).toMatchObject({ TLS_CERT_FILE: "a.pem", TLS_KEY_FILE: "k.pem" });
    const alone = ingressEnvSchema.safeParse({ ...base, TLS_CERT_FILE: "a.pem" });
    expect(alone.error?.issues.map((issue) => issue.path.join("."))).toEqual(["TLS_KEY_FILE"]);
    const keyOnly = ingressEnvSchema.safeParse({ ...base, TLS_KEY_FILE: "k.pem" });
    expect(keyOnly.error?.issues.map((issue) => issue.path.join("."))).toEqual(["TLS_CERT_FILE"]);
  });
});

describe("MAX_EVENT_AGE_MS", () => {
  const base = { LINE_CHANNEL_SECRET: SECRET };
  const pathsOf = (env: Record<string, string>) =>
    ingressEnvSchema.safeParse({ ...base, ...env }).error?.issues.map((issue) => issue.path[0]);

  it("defaults to 5 minutes less than DEDUPE_TTL_MS, so every dedupe mark outlives its window", () => {
    expect(maxEventAgeOf(ingressEnvSchema.parse(base))).toBe(24 * 3_600_000 - 300_000);
    expect(maxEventAgeOf(ingressEnvSchema.parse({ ...base, DEDUPE_TTL_MS: "3600000" }))).toBe(
      3_300_000,
    );
    expect(maxEventAgeOf(ingressEnvSchema.parse({ ...base, MAX_EVENT_AGE_MS: "1200000" }))).toBe(
      1_200_000,
    );
  });

  it("refuses a window the dedupe marks would not outlive, naming the variable", () => {
    expect(pathsOf({ DEDUPE_TTL_MS: "3600000", MAX_EVENT_AGE_MS: "3300001" })).toEqual([
      "MAX_EVENT_AGE_MS",
    ]);
    expect(pathsOf({ DEDUPE_TTL_MS: "3600000", MAX_EVENT_AGE_MS: "3300000" })).toBeUndefined();
    expect(pathsOf({ DEDUPE_TTL_MS: "300000" })).toEqual(["DEDUPE_TTL_MS"]);
  });
});

describe("INGRESS_MIN_REPLICAS", () => {
  const base = { LINE_CHANNEL_SECRET: SECRET };
  it("defaults to 0 and takes a count of replicas, never a negative or fractional one", () => {
    expect(ingressEnvSchema.parse(base).INGRESS_MIN_REPLICAS).toBe(0);
    expect(
      ingressEnvSchema.parse({ ...base, INGRESS_MIN_REPLICAS: "2" }).INGRESS_MIN_REPLICAS,
    ).toBe(2);
    for (const bad of ["-1", "1.5", "one"]) {
      const parsed = ingressEnvSchema.safeParse({ ...base, INGRESS_MIN_REPLICAS: bad });
      expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual([
        "INGRESS_MIN_REPLICAS",
      ]);
    }
  });
});

describe("GET /metrics", () => {
  it("counts each webhook by outcome, 413s and 503s included, and times every answer", async () => {
    const registry = createRegistry();
    let queueUp = true;
    const app = buildApp({
      logger: createLogger({ name: "ingress", level: "silent" }),
      bodyLimit: 1024,
      webhooks: {
        "/webhook": {
          channel: "default",
          handle: createWebhookHandler({
            channelSecret: SECRET,
            enqueueTimeoutMs: 100,
            enqueue: async () => {
              if (!queueUp) throw new Error("Connection is closed.");
            },
          }),
        },
      },
      checkReady: async () => {},
      metrics: { registry, observe: createIngressMetrics(registry) },
    });
    const good = signedWebhook(makeEnvelope([makeTextMessageEvent("x")]), SECRET);
    await post(app, good.body, good.headers);
    await post(app, good.body, { ...good.headers, "x-line-signature": "AAAA" });
    const notJson = signedWebhook("{oops", SECRET);
    await post(app, notJson.body, notJson.headers);
    const big = signedWebhook(makeEnvelope([makeTextMessageEvent("x".repeat(2000))]), SECRET);
    await post(app, big.body, big.headers);
    queueUp = false;
    await post(app, good.body, good.headers);
    await post(app, good.body, good.headers);

    const response = await app.inject("/metrics");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe(registry.contentType);
    const sample = (outcome: string) =>
      new RegExp(
        `^linefleet_webhooks_total\\{channel="default",outcome="${outcome}"\\} (\\d+)$`,
        "m",
      ).exec(response.body)?.[1];
    expect(
      ["accepted", "invalid_signature", "invalid_body", "too_large", "unavailable"].map(sample),
    ).toEqual(["1", "1", "1", "1", "2"]);
    expect(response.body).toMatch(/^linefleet_webhook_ack_seconds_count 6$/m);
  });

  it("is not served when no registry is given", async () => {
    const { app } = setup();
    expect((await app.inject("/metrics")).statusCode).toBe(404);
  });
});

describe("INGRESS_WRITE_WINDOW_MS and INGRESS_WRITE_BATCH_MAX", () => {
  const base = { LINE_CHANNEL_SECRET: SECRET };
  it("default to a 1 ms window and 100 events, and take 0 for a window of one turn", () => {
    const env = ingressEnvSchema.parse(base);
    expect([env.INGRESS_WRITE_WINDOW_MS, env.INGRESS_WRITE_BATCH_MAX]).toEqual([1, 100]);
    const turn = ingressEnvSchema.parse({ ...base, INGRESS_WRITE_WINDOW_MS: "0" });
    expect(turn.INGRESS_WRITE_WINDOW_MS).toBe(0);
  });

  it("refuse a negative window and a batch of no event, naming each variable", () => {
    const parsed = ingressEnvSchema.safeParse({
      ...base,
      INGRESS_WRITE_WINDOW_MS: "-1",
      INGRESS_WRITE_BATCH_MAX: "0",
    });
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual([
      "INGRESS_WRITE_WINDOW_MS",
      "INGRESS_WRITE_BATCH_MAX",
    ]);
  });
});
