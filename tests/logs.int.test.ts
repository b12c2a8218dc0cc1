import {
  type AppProcess,
  makeEnvelope,
  makeTextMessageEvent,
  signedWebhook,
  startApp,
  waitFor,
} from "@linefleet/test-support";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EmulatedStack, startEmulatedStack } from "./emulated-stack.ts";

const REPLY = "/v2/bot/message/reply";
const PUSH = "/v2/bot/message/push";
const dashboard = { user: "operator", password: "dashboard-password-never-logged" };

type Line = Record<string, unknown>;

describe("request-scoped logs, captured from the real processes", () => {
  let stack: EmulatedStack;
  const signatures: string[] = [];

  beforeAll(async () => {
    stack = await startEmulatedStack({
      redisUrl: inject("redisUrl"),
      ingressEnv: { DASHBOARD_USER: dashboard.user, DASHBOARD_PASSWORD: dashboard.password },
      workerEnv: { REPLY_TOKEN_MAX_AGE_MS: "20000", LINE_API_TIMEOUT_MS: "500" },
      emulator: {
        users: ["Ok", "Unauthorized", "Broken", "Slow", "Late"].map((displayName) => ({
          displayName,
        })),
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const userIdOf = (displayName: string) => {
    const user = stack.emulator.state().users.find((u) => u.displayName === displayName);
    if (!user) throw new Error(`the emulator has no user ${displayName}`);
    return user.userId;
  };
  const worker = () => stack.workers[0] as AppProcess;
  const objects = (app: AppProcess) =>
    app.lines.filter((line): line is Line => typeof line === "object");
  const linesAbout = (webhookEventId: string) =>
    objects(worker()).filter((line) => line.webhookEventId === webhookEventId);
  const requestIdsAt = (path: string) =>
    stack.emulator
      .apiCalls()
      .filter((call) => call.path === path)
      .map((call) => call.requestId);
  const requestIdOf = (line: Line) =>
    ((line.send as Line | undefined)?.requestId ?? (line.err as Line | undefined)?.requestId) as
      | string
      | undefined;

  /** Sends a text as `user` and waits for the worker line that ends its handling. */
  async function handled(user: string, text: string, finalMsg: string) {
    const sent = stack.emulator.sendEvent({ type: "text", from: userIdOf(user), text });
    await worker().waitForLine(
      (line) => line.webhookEventId === sent.webhookEventId && line.msg === finalMsg,
      20_000,
    );
    return sent.webhookEventId;
  }

  it("tags each LINE call's line with LINE's request id, and every event line with its ids", async () => {
    // A delivered reply.
    const ok = await handled("Ok", "hello", "answer sent");
    const [okLine] = linesAbout(ok).filter((line) => line.msg === "answer sent");
    expect(requestIdOf(okLine as Line)).toBe(requestIdsAt(REPLY).at(-1));

    // LINE answers 401: the failure and the dead letter.
    stack.emulator.addFault({
      match: { path: REPLY },
      status: 401,
      body: { message: "Authentication failed" },
      times: 1,
    });
    const unauthorized = await handled("Unauthorized", "401", "event dead-lettered");
    const [failed401] = linesAbout(unauthorized).filter((line) => line.msg === "handler failed");
    expect(requestIdOf(failed401 as Line)).toBe(requestIdsAt(REPLY).at(-1));
    expect(failed401?.err).toMatchObject({ status: 401, code: "unauthorized" });

    // LINE answers 500, then the retry is delivered.
    stack.emulator.addFault({ match: { path: REPLY }, status: 500, times: 1 });
    const broken = await handled("Broken", "500", "answer sent");
    const brokenLines = linesAbout(broken);
    const replyIds = requestIdsAt(REPLY);
    expect(brokenLines.filter((line) => line.msg === "handler failed").map(requestIdOf)).toEqual([
      replyIds.at(-2),
    ]);
    expect(brokenLines.filter((line) => line.msg === "answer sent").map(requestIdOf)).toEqual([
      replyIds.at(-1),
    ]);

    // LINE takes longer than LINE_API_TIMEOUT_MS: no answer, so no request id, only the timeout.
    // The retry's reply is answered (the slow one arrives at LINE later, its token then used).
    stack.emulator.addFault({ match: { path: REPLY }, delayMs: 5_000, times: 1 });
    const slow = await handled("Slow", "timeout", "answer sent");
    const slowLines = linesAbout(slow);
    const timedOut = slowLines.find((line) => line.msg === "handler failed");
    expect(timedOut?.err).toMatchObject({ code: "timeout", outcome: "unknown" });
    expect(requestIdOf(timedOut as Line)).toBeUndefined();
    const answered = stack.emulator
      .apiCalls()
      .filter((call) => call.path === REPLY && call.status === 200)
      .at(-1);
    expect(answered?.body).toMatchObject({ messages: [{ text: "timeout" }] });
    const sentLine = slowLines.find((line) => line.msg === "answer sent");
    expect(requestIdOf(sentLine as Line)).toBe(answered?.requestId);

    // A push LINE accepted whose answer was lost: the retry's 409 names the accepted request.
    stack.emulator.addFault({ match: { path: PUSH }, dropAfterAccept: true, times: 1 });
    const late = makeTextMessageEvent("late", {
      timestamp: Date.now() - 25_000,
      source: { type: "user", userId: userIdOf("Late") },
    });
    const { body, headers } = signedWebhook(
      makeEnvelope([late], stack.emulator.bot.userId),
      stack.channelSecret,
    );
    signatures.push(headers["x-line-signature"]);
    await fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers });
    const acceptedLine = await worker().waitForLine(
      (line) => line.webhookEventId === late.webhookEventId && line.msg === "answer sent",
      20_000,
    );
    const [firstPush, secondPush] = requestIdsAt(PUSH).slice(-2);
    expect(acceptedLine.send).toMatchObject({
      status: "delivered",
      via: "push",
      alreadyAccepted: true,
      requestId: secondPush,
      acceptedRequestId: firstPush,
    });

    // Every line about an event says which event, channel and job.
    const eventLines = objects(worker()).filter((line) => line.webhookEventId !== undefined);
    expect(eventLines.length).toBeGreaterThan(5);
    for (const line of eventLines) {
      expect(line, JSON.stringify(line)).toMatchObject({
        channel: "default",
        jobId: expect.any(String),
      });
    }
  });

  it("refuses a forged signature at the ingress and serves the dashboard only with credentials", async () => {
    const { body, headers } = signedWebhook(makeEnvelope([]), "a guess at the secret");
    signatures.push(headers["x-line-signature"]);
    const forged = await fetch(`${stack.ingressUrl}/webhook`, { method: "POST", body, headers });
    expect(forged.status).toBe(401);
    await stack.ingress.waitForLine((line) => line.msg === "webhook refused");

    const page = `${stack.ingressUrl}/admin/queues`;
    const basic = (password: string) =>
      `Basic ${Buffer.from(`${dashboard.user}:${password}`).toString("base64")}`;
    expect((await fetch(page)).status).toBe(401);
    expect((await fetch(page, { headers: { authorization: basic("wrong") } })).status).toBe(401);
    const allowed = await fetch(page, { headers: { authorization: basic(dashboard.password) } });
    expect(allowed.status).toBe(200);
  });

  it("prints a configuration error as the list of bad variables, with no stack and no secret", async () => {
    const token = "config-error-access-token-that-must-not-show";
    const badWorker = startApp("bad-worker", "packages/linefleet/src/worker/main.ts", {
      LINE_CHANNEL_ACCESS_TOKEN: token,
      WORKER_CONCURRENCY: "many",
      METRICS_PORT: "not-a-port",
      REDIS_URL: inject("redisUrl"),
    });
    const badIngress = startApp("bad-ingress", "packages/linefleet/src/ingress/main.ts", {
      LINE_CHANNEL_SECRET: "config-error-channel-secret",
      DASHBOARD_USER: "operator",
    });
    for (const app of [badWorker, badIngress]) {
      await waitFor(() => app.child.exitCode !== null, { what: `${app.name} to exit` });
      expect(app.child.exitCode).toBe(1);
    }
    const workerOutput = badWorker.output();
    expect(workerOutput).toContain("WORKER_CONCURRENCY is invalid");
    expect(workerOutput).toContain("METRICS_PORT is invalid");
    expect(badIngress.output()).toContain("DASHBOARD_PASSWORD is required");
    for (const output of [workerOutput, badIngress.output()]) {
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain(token);
      expect(output).not.toContain("config-error-channel-secret");
    }
  });

  it("never logs the channel secret, the access token, a signature or the dashboard password", () => {
    const logs = [stack.ingress, ...stack.workers].map((app) => app.output()).join("\n");
    // The signatures of every webhook the emulator sent, recomputed from the bodies it logged.
    for (const delivery of stack.emulator.deliveries()) {
      signatures.push(
        signedWebhook(delivery.body, stack.channelSecret).headers["x-line-signature"],
      );
    }
    expect(logs).toContain("handler failed");
    expect(logs).toContain("webhook refused");
    expect(signatures.length).toBeGreaterThan(5);
    for (const secret of [
      stack.channelSecret,
      stack.emulator.channelAccessToken,
      dashboard.password,
      ...signatures,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
