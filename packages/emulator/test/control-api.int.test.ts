import { afterEach, describe, expect, it } from "vitest";
import type { ActivityEvent } from "../src/index.ts";
import { startEmulatorWithReceiver } from "./support/fixture.ts";
import { sdkClients, sdkFailure } from "./support/sdk.ts";

let running: Awaited<ReturnType<typeof startEmulatorWithReceiver>> | undefined;

async function start() {
  running = await startEmulatorWithReceiver();
  const { url } = running.emulator;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      ...(method === "GET"
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads several loosely shaped answers
    return { status: response.status, body: (await response.json()) as any };
  };
  return { ...running, call };
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Reads server-sent events from the stream until `count` arrive. */
async function readStream(
  url: string,
  count: number,
  act: () => Promise<void>,
): Promise<ActivityEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/emulator/stream`, { signal: controller.signal });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no stream body");
  const events: ActivityEvent[] = [];
  let buffered = "";
  let acted = false;
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += new TextDecoder().decode(value);
    const frames = buffered.split("\n\n");
    buffered = frames.pop() ?? "";
    for (const frame of frames) {
      if (frame.startsWith("data: ")) events.push(JSON.parse(frame.slice(6)));
    }
    if (!acted) {
      acted = true;
      await act();
    }
  }
  controller.abort();
  return events;
}

describe("control API", () => {
  it("creates users, groups and rooms and reports them in the state", async () => {
    const { call, emulator } = await start();
    const bob = await call("POST", "/emulator/users", { displayName: "Bob" });
    expect(bob.status).toBe(200);
    expect(bob.body).toMatchObject({
      displayName: "Bob",
      userId: expect.stringMatching(/^U[0-9a-f]{32}$/),
    });
    const alice = emulator.state().users[0];
    const group = await call("POST", "/emulator/groups", {
      groupName: "Team",
      memberIds: [alice?.userId, bob.body.userId],
    });
    expect(group.body).toMatchObject({
      groupName: "Team",
      groupId: expect.stringMatching(/^C[0-9a-f]{32}$/),
    });
    const room = await call("POST", "/emulator/rooms", { memberIds: [bob.body.userId] });
    expect(room.body.roomId).toMatch(/^R[0-9a-f]{32}$/);

    const state = await call("GET", "/emulator/state");
    expect(state.body).toMatchObject({
      bot: {
        userId: emulator.bot.userId,
        displayName: emulator.bot.displayName,
        basicId: emulator.bot.basicId,
      },
      webhookUrl: running?.receiver.url,
      users: [{ displayName: "Alice" }, { displayName: "Bob" }],
      groups: [
        {
          groupId: group.body.groupId,
          groupName: "Team",
          memberIds: [alice?.userId, bob.body.userId],
        },
      ],
      rooms: [{ roomId: room.body.roomId, memberIds: [bob.body.userId] }],
    });
  });

  it("answers bad input with 400 and a code", async () => {
    const { call } = await start();
    const noName = await call("POST", "/emulator/users", {});
    expect(noName.status).toBe(400);
    expect(noName.body.code).toBe("LF_EMULATOR_INVALID_INPUT");
    const unknownUser = await call("POST", "/emulator/events", {
      type: "text",
      from: `U${"0".repeat(32)}`,
    });
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.body.code).toBe("LF_EMULATOR_UNKNOWN_USER");
    const badType = await call("POST", "/emulator/events", { type: "teleport" });
    expect(badType.status).toBe(400);
  });

  it("sends events, keeps the chat history and logs deliveries and API calls", async () => {
    const { call, emulator } = await start();
    const alice = emulator.state().users[0]?.userId ?? "";
    const sent = await call("POST", "/emulator/events", { type: "text", text: "hi" });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({
      webhookEventId: expect.any(String),
      timestamp: expect.any(Number),
      replyToken: expect.any(String),
      messageId: expect.any(String),
      deliveryId: expect.any(String),
    });
    await emulator.waitForDeliveries((d) => d.deliveryId === sent.body.deliveryId);
    const { client } = sdkClients(emulator);
    await client.replyMessage({
      replyToken: sent.body.replyToken,
      messages: [{ type: "text", text: "hello" }],
    });
    await client.pushMessage({
      to: alice,
      messages: [{ type: "sticker", packageId: "1", stickerId: "1" }],
    });

    const history = await call("GET", `/emulator/chats/${alice}/messages`);
    expect(history.body.messages).toEqual([
      expect.objectContaining({
        id: sent.body.messageId,
        chatId: alice,
        from: "user",
        userId: alice,
        webhookEventId: sent.body.webhookEventId,
        message: expect.objectContaining({ type: "text", text: "hi" }),
      }),
      expect.objectContaining({
        chatId: alice,
        from: "bot",
        via: "reply",
        message: { type: "text", text: "hello" },
      }),
      expect.objectContaining({
        chatId: alice,
        from: "bot",
        via: "push",
        message: { type: "sticker", packageId: "1", stickerId: "1" },
      }),
    ]);

    const deliveries = await call("GET", "/emulator/deliveries");
    expect(deliveries.body).toEqual([
      expect.objectContaining({
        webhookEventIds: [sent.body.webhookEventId],
        attempt: 1,
        isRedelivery: false,
        status: 200,
        durationMs: expect.any(Number),
        body: expect.stringContaining(sent.body.webhookEventId),
      }),
    ]);
    const calls = await call("GET", "/emulator/api-calls");
    expect(
      calls.body.map((c: { method: string; path: string; status: number }) => [
        c.method,
        c.path,
        c.status,
      ]),
    ).toEqual([
      ["POST", "/v2/bot/message/reply", 200],
      ["POST", "/v2/bot/message/push", 200],
    ]);
    expect(calls.body[0]).toMatchObject({
      requestId: expect.any(String),
      body: { replyToken: sent.body.replyToken },
      response: { sentMessages: [expect.any(Object)] },
    });
  });

  it("keeps a postback's displayText as the user's message; the bot gets only the postback", async () => {
    const { call, emulator } = await start();
    const alice = emulator.state().users[0]?.userId;
    const sent = await call("POST", "/emulator/events", {
      type: "postback",
      data: "size=L",
      displayText: "Large, please",
    });
    expect(sent.status).toBe(202);
    expect(sent.body.messageId).toBeUndefined();

    const history = await call("GET", `/emulator/chats/${alice}/messages`);
    expect(history.body.messages).toEqual([
      expect.objectContaining({
        chatId: alice,
        from: "user",
        userId: alice,
        webhookEventId: sent.body.webhookEventId,
        message: { type: "text", text: "Large, please" },
        postback: { data: "size=L" },
      }),
    ]);
    const [delivery] = await emulator.waitForDeliveries(
      (d) => d.deliveryId === sent.body.deliveryId,
    );
    const events = JSON.parse(delivery?.body ?? "{}").events;
    expect(events).toEqual([
      expect.objectContaining({ type: "postback", postback: { data: "size=L" } }),
    ]);

    // It is not a message the bot knows, so it cannot be unsent; and only postbacks carry one.
    const storedId = history.body.messages[0].id;
    const unsend = await call("POST", "/emulator/events", { type: "unsend", messageId: storedId });
    expect(unsend.status).toBe(400);
    expect(unsend.body.message).toContain("displayText");
    const onText = await call("POST", "/emulator/events", {
      type: "text",
      text: "hi",
      displayText: "x",
    });
    expect(onText.status).toBe(400);
    expect(onText.body.message).toContain("displayText goes only with a postback");
    // Without displayText nothing shows in the chat, as at LINE.
    await call("POST", "/emulator/events", { type: "postback", data: "quiet" });
    expect((await call("GET", `/emulator/chats/${alice}/messages`)).body.messages).toHaveLength(1);
  });

  it("sends batches in one request and Verify", async () => {
    const { call, receiver } = await start();
    const batch = await call("POST", "/emulator/events/batch", {
      events: [{ type: "text", text: "a" }, { type: "sticker" }],
    });
    expect(batch.status).toBe(202);
    expect(batch.body.events).toHaveLength(2);
    const verify = await call("POST", "/emulator/verify");
    expect(verify.body).toEqual({ status: 200 });
    expect(receiver.received.map((w) => w.body.events.length).sort()).toEqual([0, 2]);
  });

  it("adds and clears faults, changes the config and resets", async () => {
    const { call, emulator } = await start();
    const { client } = sdkClients(emulator);
    const fault = await call("POST", "/emulator/faults", {
      match: { path: "/v2/bot/info" },
      status: 503,
    });
    expect(fault.body.id).toEqual(expect.any(String));
    expect((await sdkFailure(client.getBotInfo())).status).toBe(503);
    expect((await sdkFailure(client.getBotInfo())).status).toBe(503);
    await call("DELETE", "/emulator/faults");
    await client.getBotInfo();

    const config = await call("PUT", "/emulator/config", {
      replyTokenTtlMs: 0,
      redelivery: { enabled: false, delaysMs: [10] },
      rateLimits: { "/v2/bot/info": 1 },
    });
    expect(config.body).toEqual({
      webhookUrl: running?.receiver.url,
      replyTokenTtlMs: 0,
      webhookTimeoutMs: 2000,
      redelivery: { enabled: false, delaysMs: [10] },
      rateLimits: { "/v2/bot/info": 1 },
    });
    await client.getBotInfo();
    expect((await sdkFailure(client.getBotInfo())).status).toBe(429);

    const sent = emulator.sendEvent({ type: "text", text: "x" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const expired = await sdkFailure(
      client.replyMessage({
        replyToken: sent.replyToken ?? "",
        messages: [{ type: "text", text: "y" }],
      }),
    );
    expect(expired.status).toBe(400);

    expect((await call("POST", "/emulator/reset")).status).toBe(200);
    expect((await call("GET", "/emulator/api-calls")).body).toEqual([]);
    expect((await call("GET", "/emulator/deliveries")).body).toEqual([]);
    expect(
      (await call("GET", `/emulator/chats/${emulator.state().users[0]?.userId}/messages`)).body,
    ).toEqual({ messages: [] });
  });

  it("streams state, messages, deliveries and API calls as server-sent events", async () => {
    const { emulator } = await start();
    const { client } = sdkClients(emulator);
    const alice = emulator.state().users[0]?.userId ?? "";
    const events = await readStream(emulator.url, 6, async () => {
      emulator.sendEvent({ type: "text", text: "streamed" });
      await client.pushMessage({ to: alice, messages: [{ type: "text", text: "pushed" }] });
    });
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe("state");
    expect(kinds).toEqual(expect.arrayContaining(["message", "api-call"]));
    const texts = events.flatMap((e) => (e.kind === "message" ? [e.data.message.text] : []));
    expect(texts).toEqual(["streamed", "pushed"]);
  });
});
