import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createLogger } from "@linefleet/log";
import {
  createProducerConnection,
  createWorkerConnection,
  type RedisConnection,
  redisKeys,
} from "@linefleet/store";
import { waitFor } from "@linefleet/test-support";
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { buildApp } from "../src/app.ts";

const credentials = { user: "operator", password: "correct horse battery staple" };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("queue dashboard at /admin/queues", () => {
  let redis: RedisConnection;
  let prefix: string;
  beforeEach(async () => {
    redis = createProducerConnection(inject("redisUrl"));
    prefix = `t-${randomUUID()}`;
    // A producer connection refuses commands until connected (no offline queue).
    await once(redis, "ready");
  });
  afterEach(() => {
    redis.disconnect();
  });

  function app(withDashboard: boolean) {
    return buildApp({
      logger: createLogger({ name: "ingress", level: "silent" }),
      bodyLimit: 1024,
      webhooks: {},
      checkReady: async () => {},
      ...(withDashboard
        ? { dashboard: { connection: redis, keys: redisKeys(prefix), credentials } }
        : {}),
    });
  }

  it("does not exist unless configured", async () => {
    const ingress = app(false);
    for (const url of ["/admin/queues", "/admin/queues/api/queues"]) {
      const response = await ingress.inject({
        url,
        headers: { authorization: basic(credentials.user, credentials.password) },
      });
      expect(response.statusCode).toBe(404);
    }
    await ingress.close();
  });

  it("answers 401 with a challenge without credentials or with wrong ones", async () => {
    const ingress = app(true);
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: basic(credentials.user, "wrong") },
      { authorization: basic("someone", credentials.password) },
      { authorization: basic(credentials.user, `${credentials.password}x`) },
      { authorization: "Bearer nope" },
    ];
    for (const headers of attempts) {
      for (const url of ["/admin/queues", "/admin/queues/api/queues"]) {
        const response = await ingress.inject({ url, headers });
        expect(response.statusCode, `${url} with ${JSON.stringify(headers)}`).toBe(401);
        expect(response.headers["www-authenticate"]).toMatch(/^Basic realm="linefleet dashboard"/);
        expect(response.body).not.toContain("line-events");
      }
    }
    await ingress.close();
  });

  it("shows the events queue and its dead letters, and retries one", async () => {
    // A dead letter, made the way the workers make them: a job that fails for good.
    const queueName = redisKeys(prefix).layout.queueName(0);
    const queue = new Queue(queueName, { connection: redis, prefix });
    const job = await queue.add("message", { marker: "dead" }, { attempts: 1, jobId: "evt-1" });
    const worker = new Worker(
      queueName,
      async () => {
        throw new UnrecoverableError("failed for good");
      },
      { connection: createWorkerConnection(inject("redisUrl")), prefix },
    );
    await waitFor(async () => (await queue.getJobState(job.id as string)) === "failed", {
      what: "the job to fail",
    });
    await worker.close();

    const ingress = app(true);
    const authorization = basic(credentials.user, credentials.password);
    for (const url of ["/admin/queues", "/admin/queues/"]) {
      const page = await ingress.inject({ url, headers: { authorization } });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/text\/html/);
    }
    // The UI's own files load from under the same path (the page's <base>), behind the same
    // credentials.
    const page = await ingress.inject({ url: "/admin/queues/", headers: { authorization } });
    expect(page.body).toContain('<base href="/admin/queues/');
    const script = `/admin/queues/${/<script[^>]+src="(static\/[^"]+\.js)"/.exec(page.body)?.[1]}`;
    const asset = await ingress.inject({ url: script, headers: { authorization } });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["content-type"]).toMatch(/javascript/);
    expect((await ingress.inject({ url: script })).statusCode).toBe(401);

    const listed = await ingress.inject({
      url: `/admin/queues/api/queues?activeQueue=${queueName}&status=failed`,
      headers: { authorization },
    });
    expect(listed.statusCode).toBe(200);
    const { queues } = listed.json() as {
      queues: Array<{ name: string; counts: Record<string, number>; jobs: Array<{ id: string }> }>;
    };
    const events = queues.find((q) => q.name === queueName);
    expect(events?.counts.failed).toBe(1);
    // The recurring jobs' queue is listed beside the events queue.
    expect(queues.map((q) => q.name)).toContain(redisKeys(prefix).recurringQueueName);
    expect(events?.jobs.map((j) => j.id)).toEqual(["evt-1"]);

    const retried = await ingress.inject({
      method: "PUT",
      url: `/admin/queues/api/queues/${queueName}/evt-1/retry`,
      headers: { authorization },
    });
    expect(retried.statusCode).toBeLessThan(300);
    expect(await queue.getJobState("evt-1")).toBe("waiting");

    await ingress.close();
    await queue.close();
  });

  it("refuses a state change a page on another site could send (not JSON), and takes it as JSON", async () => {
    const queueName = redisKeys(prefix).layout.queueName(0);
    const queue = new Queue(queueName, { connection: redis, prefix });
    const ingress = app(true);
    const authorization = basic(credentials.user, credentials.password);
    const add = `/admin/queues/api/queues/${queueName}/add`;
    const job = JSON.stringify({ name: "by-hand", data: {}, options: {} });
    // What a cross-site form or a simple fetch can send, with the browser's stored credentials.
    const crossSite: Array<{ method: "POST" | "PUT"; url: string; type?: string; body?: string }> =
      [
        { method: "POST", url: add },
        { method: "POST", url: add, type: "text/plain", body: job },
        { method: "POST", url: add, type: "application/x-www-form-urlencoded", body: "name=x" },
        { method: "POST", url: add, type: "multipart/form-data; boundary=x", body: "--x--" },
        {
          method: "PUT",
          url: `/admin/queues/api/queues/${queueName}/pause`,
          type: "text/plain",
          body: "",
        },
      ];
    for (const { method, url, type, body } of crossSite) {
      const refused = await ingress.inject({
        method,
        url,
        headers: { authorization, ...(type ? { "content-type": type } : {}) },
        ...(body !== undefined ? { payload: body } : {}),
      });
      expect(refused.statusCode, `${method} ${url} ${type}`).toBe(415);
    }
    expect(await queue.count()).toBe(0);
    expect(await queue.isPaused()).toBe(false);

    const added = await ingress.inject({
      method: "POST",
      url: add,
      headers: { authorization, "content-type": "application/json" },
      payload: job,
    });
    expect(added.statusCode).toBe(200);
    expect((await queue.getWaiting()).map((j) => j.name)).toEqual(["by-hand"]);
    // The UI's bodiless PUTs (retry, clean, pause) need a CORS preflight cross-site; they work.
    const paused = await ingress.inject({
      method: "PUT",
      url: `/admin/queues/api/queues/${queueName}/pause`,
      headers: { authorization },
    });
    expect(paused.statusCode).toBeLessThan(300);
    expect(await queue.isPaused()).toBe(true);
    await ingress.close();
    await queue.close();
  });

  it("answers 429 to an address past 10 wrong logins, even with the right password", async () => {
    const ingress = app(true);
    const from = (remoteAddress: string, password: string) =>
      ingress.inject({
        url: "/admin/queues/api/queues",
        remoteAddress,
        headers: { authorization: basic(credentials.user, password) },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await from("203.0.113.7", `guess-${i}`)).statusCode);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(10).fill(429)]);
    const limited = await from("203.0.113.7", credentials.password);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.body).not.toContain("line-events");
    // Another address is not held back by someone else's guesses.
    expect((await from("203.0.113.8", credentials.password)).statusCode).toBe(200);
    await ingress.close();
  });
});
