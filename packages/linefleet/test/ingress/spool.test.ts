import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createWebhookHandler,
  type WebhookHandlerDeps,
  type WebhookSpool,
} from "@linefleet/ingress";
import { createRecordKeyring, openSpool, type Spool } from "@linefleet/spool";
import { makeEnvelope, makeTextMessageEvent, signedWebhook } from "@linefleet/test-support";
import type { WebhookEnvelope } from "@linefleet/webhook";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SECRET = "test-channel-secret-0123456789ab";
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const keyring = createRecordKeyring([["default", SECRET]]);

describe("the webhook handler with a spool", () => {
  let dir: string;
  let spool: Spool<string> | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "linefleet-ingress-spool-"));
  });
  afterEach(async () => {
    await spool?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function setup(
    maxBytes: number,
    redis: { up: boolean },
    deps: Partial<Pick<WebhookHandlerDeps, "enqueue" | "checkDestination">> = {},
  ) {
    const queued: string[] = [];
    const enqueue = async (envelope: WebhookEnvelope) => {
      if (!redis.up) throw new Error("Connection is closed.");
      queued.push(...envelope.events.map((event) => event.webhookEventId));
    };
    const opened = await openSpool<string>({
      dir,
      maxBytes,
      keyring,
      keyOf: () => "default",
      logger: quiet,
      retryDelayMs: 5,
      replay: async (ids) => {
        if (!redis.up) throw new Error("Connection is closed.");
        queued.push(...ids);
      },
    });
    spool = opened;
    const asWebhookSpool: WebhookSpool = {
      get spooling() {
        return opened.spooling;
      },
      append: (envelope) =>
        Promise.all(envelope.events.map((event) => opened.append(event.webhookEventId))).then(),
    };
    const handle = createWebhookHandler({
      channelSecret: SECRET,
      enqueueTimeoutMs: 50,
      enqueue,
      spool: asWebhookSpool,
      ...deps,
    });
    const deliver = (text: string) => {
      const event = makeTextMessageEvent(text);
      const { body, headers } = signedWebhook(makeEnvelope([event]), SECRET);
      return handle({
        rawBody: Buffer.from(body),
        signature: headers["x-line-signature"],
      }).then((outcome) => ({ status: outcome.status, id: event.webhookEventId }));
    };
    return { queued, deliver, spool: opened };
  }

  it("answers 200 while Redis is away, then queues everything in order once it is back", async () => {
    const redis = { up: false };
    const { queued, deliver, spool } = await setup(1024 * 1024, redis);
    const first = await deliver("one");
    const second = await deliver("two");
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(spool.spooling).toBe(true);
    redis.up = true;
    // While the journal is replayed, new requests go behind it, not around it.
    const third = await deliver("three");
    expect(third.status).toBe(200);
    for (let i = 0; i < 200 && spool.spooling; i++) await new Promise((r) => setTimeout(r, 5));
    expect(spool.spooling).toBe(false);
    expect(queued).toEqual([first.id, second.id, third.id]);
    // Drained: the next request goes straight to Redis again.
    const fourth = await deliver("four");
    expect(fourth.status).toBe(200);
    expect(queued.at(-1)).toBe(fourth.id);
    expect(spool.stats()).toMatchObject({ spooledTotal: 3, replayedTotal: 3 });
  });

  it("answers 503 once the journal is full", async () => {
    const redis = { up: false };
    const { deliver, spool } = await setup(1024, redis);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await deliver(`m${i}`)).status);
    expect(statuses[0]).toBe(200);
    expect(statuses.at(-1)).toBe(503);
    expect(spool.stats().refusedTotal).toBeGreaterThan(0);
  });

  it("spools a request whose destination cannot be checked while Redis is away", async () => {
    const redis = { up: false };
    const { queued, deliver, spool } = await setup(1024 * 1024, redis, {
      checkDestination: async () => {
        if (!redis.up) throw new Error("Connection is closed.");
        return true;
      },
    });
    const first = await deliver("one");
    expect(first.status).toBe(200);
    expect(spool.stats()).toMatchObject({ spooledTotal: 1 });
    redis.up = true;
    for (let i = 0; i < 200 && spool.spooling; i++) await new Promise((r) => setTimeout(r, 5));
    expect(queued).toEqual([first.id]);
  });

  it("answers 400, and spools nothing, for events that cannot be stored", async () => {
    const { deliver, spool } = await setup(
      1024 * 1024,
      { up: true },
      {
        enqueue: async () => {
          throw Object.assign(new Error("too deep"), { code: "LF_EVENTS_NOT_STORABLE" });
        },
      },
    );
    expect((await deliver("deep")).status).toBe(400);
    expect(spool.stats()).toMatchObject({ spooledTotal: 0 });
  });
});
