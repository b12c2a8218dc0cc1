import { createServer, type IncomingMessage, type Server } from "node:http";
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { createEmulator, type Emulator } from "@linefleet/emulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDirectSender } from "../src/direct-send.ts";
import { createLineClient, LineApiError } from "../src/index.ts";

const token = "test-channel-access-token";
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const text = (value: string) => [{ type: "text" as const, text: value }];

interface Recorded {
  method: string | undefined;
  url: string | undefined;
  headers: Record<string, string | undefined>;
  body: string;
}

/** A LINE that records each request and answers with whatever the test set. */
async function startRecordingLine() {
  const recorded: Recorded[] = [];
  let answer = { status: 200, headers: {} as Record<string, string>, body: "{}" };
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const pick = (name: string) => request.headers[name] as string | undefined;
      recorded.push({
        method: request.method,
        url: request.url,
        headers: {
          "content-type": pick("content-type"),
          authorization: pick("authorization"),
          "user-agent": pick("user-agent"),
          "x-line-retry-key": pick("x-line-retry-key"),
        },
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    recorded,
    answerWith(next: typeof answer) {
      answer = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function failureOf(call: Promise<unknown>): Promise<HTTPFetchError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof HTTPFetchError)) throw new Error(`expected HTTPFetchError, got ${error}`);
  return error;
}

/** Everything an HTTPFetchError carries, its headers without the clock's `date`. */
function describeError(error: HTTPFetchError) {
  const headers = [...error.headers.entries()].filter(([name]) => name !== "date");
  return {
    name: error.name,
    message: error.message,
    status: error.status,
    statusText: error.statusText,
    body: error.body,
    headers,
  };
}

describe("reply and push through undici, against the SDK's own client", () => {
  let line: Awaited<ReturnType<typeof startRecordingLine>>;
  beforeEach(async () => {
    line = await startRecordingLine();
  });
  afterEach(() => line.close());

  it("sends the same method, path, headers and body as the SDK", async () => {
    const sdk = new messagingApi.MessagingApiClient({
      channelAccessToken: token,
      baseURL: line.url,
    });
    const direct = createDirectSender({ apiBaseUrl: line.url });
    line.answerWith({ status: 200, headers: {}, body: '{"sentMessages":[{"id":"1"}]}' });
    const reply = { replyToken: "r1", messages: text("hi") };
    const push = { to: "U1", messages: text("yo") };
    const key = "123e4567-e89b-12d3-a456-426614174000";

    await sdk.replyMessageWithHttpInfo(reply);
    await direct.reply(reply, token);
    await sdk.pushMessageWithHttpInfo(push, key);
    await direct.push(push, key, token);
    await sdk.pushMessageWithHttpInfo(push);
    await direct.push(push, undefined, token);

    const [sdkReply, directReply, sdkPush, directPush, sdkBare, directBare] = line.recorded;
    expect(directReply).toEqual(sdkReply);
    expect(directPush).toEqual(sdkPush);
    expect(directBare).toEqual(sdkBare);
    expect(directReply?.url).toBe("/v2/bot/message/reply");
    expect(directReply?.headers).toEqual({
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "user-agent": expect.stringMatching(/^@line\/bot-sdk\/\d+\.\d+\.\d+$/),
      "x-line-retry-key": undefined,
    });
    expect(directPush?.headers["x-line-retry-key"]).toBe(key);
    expect(directBare?.headers["x-line-retry-key"]).toBeUndefined();
  });

  it("keeps the SDK's path prefix rule: the base URL's path is dropped, as `new URL` does", async () => {
    const direct = createDirectSender({ apiBaseUrl: `${line.url}/x/` });
    line.answerWith({ status: 200, headers: {}, body: "" });
    const sent = await direct.reply({ replyToken: "r", messages: text("a") }, token);
    expect(line.recorded[0]?.url).toBe("/v2/bot/message/reply");
    expect(sent.body).toBeNull(); // an empty body reads as null, as in the SDK
  });

  it("throws the SDK's HTTPFetchError with the same status, status text, headers and body", async () => {
    const sdk = new messagingApi.MessagingApiClient({
      channelAccessToken: token,
      baseURL: line.url,
    });
    const direct = createDirectSender({ apiBaseUrl: line.url });
    line.answerWith({
      status: 409,
      headers: {
        "content-type": "application/json",
        "x-line-request-id": "req-2",
        "x-line-accepted-request-id": "req-1",
      },
      body: '{"message":"The retry key is already accepted","sentMessages":[{"id":"9"}]}',
    });
    const push = { to: "U1", messages: text("again") };
    const key = "123e4567-e89b-12d3-a456-426614174000";
    const fromSdk = await failureOf(sdk.pushMessageWithHttpInfo(push, key));
    const fromDirect = await failureOf(direct.push(push, key, token));

    expect(describeError(fromDirect)).toEqual(describeError(fromSdk));
    expect(fromDirect.message).toBe("409 - Conflict");
    expect(fromDirect.headers.get("x-line-accepted-request-id")).toBe("req-1");
  });
});

describe("createLineClient's reply and push against the emulator", () => {
  let line: Awaited<ReturnType<typeof startRecordingLine>>;
  let emulator: Emulator;
  beforeEach(async () => {
    line = await startRecordingLine(); // takes the emulator's webhooks
    emulator = createEmulator({
      channelSecret: "test-channel-secret",
      channelAccessToken: token,
      webhookUrl: `${line.url}/webhook`,
      redelivery: { enabled: false },
    });
    await emulator.listen({ port: 0 });
  });
  afterEach(async () => {
    await emulator.close();
    await line.close();
  });

  it("replies once, then maps the reused token to invalid_reply_token", async () => {
    const client = createLineClient({ channelAccessToken: token, apiBaseUrl: emulator.url });
    const { replyToken } = emulator.sendEvent({ type: "text", text: "hi" });
    if (!replyToken) throw new Error("text events carry a reply token");

    const sent = await client.reply(replyToken, text("hello"));
    expect(sent.sentMessages).toHaveLength(1);
    expect(sent.requestId).toMatch(uuidPattern);
    expect(sent.alreadyAccepted).toBe(false);

    const again = await client.reply(replyToken, text("twice")).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(LineApiError);
    expect(again).toMatchObject({ code: "invalid_reply_token", status: 400, retryable: false });
    expect((again as LineApiError).requestId).toMatch(uuidPattern);
    expect((again as LineApiError).cause).toBeInstanceOf(HTTPFetchError);
  });

  it("answers a repeated retry key with the accepted request id and the original sentMessages", async () => {
    const client = createLineClient({ channelAccessToken: token, apiBaseUrl: emulator.url });
    const alice = emulator.state().users[0];
    if (!alice) throw new Error("the emulator starts with one user");
    const key = "123e4567-e89b-52d3-a456-426614174000";

    const first = await client.push(alice.userId, text("once"), key);
    const second = await client.push(alice.userId, text("once"), key);
    expect(first.alreadyAccepted).toBe(false);
    expect(second).toEqual({
      sentMessages: first.sentMessages,
      requestId: expect.stringMatching(uuidPattern),
      acceptedRequestId: first.requestId,
      alreadyAccepted: true,
    });
    expect(second.requestId).not.toBe(first.requestId);
    const delivered = emulator.messages(alice.userId).filter((m) => m.from === "bot");
    expect(delivered.map((m) => m.message.text)).toEqual(["once"]);
  });

  it("maps a wrong access token to unauthorized", async () => {
    const client = createLineClient({ channelAccessToken: "wrong", apiBaseUrl: emulator.url });
    const failure = await client
      .push("U1", text("x"), "123e4567-e89b-52d3-a456-426614174001")
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "unauthorized", status: 401, outcome: "not_sent" });
  });
});
