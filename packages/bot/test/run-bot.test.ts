import type { LineClient } from "@linefleet/line-client";
import type { EventSource, WebhookEvent } from "@linefleet/webhook";
import { describe, expect, it } from "vitest";
import {
  type BotServices,
  type BotStorage,
  createBot,
  type Profile,
  type Responder,
  runBot,
  SessionConflictError,
  type StoredSession,
} from "../src/index.ts";

/**
 * A BotStorage in a Map, the way any runtime may provide one: the bot package needs nothing more
 * to keep sessions. `writeBetween` plays another event saving the chat's session while this one
 * runs.
 */
function memoryStorage() {
  const sessions = new Map<string, StoredSession>();
  let version = 0;
  const keyOf = (destination: string, source: EventSource) =>
    `${destination}:${source.groupId ?? source.roomId ?? source.userId}`;
  const storage: BotStorage = {
    async loadSession(destination, source) {
      return sessions.get(keyOf(destination, source)) ?? { version: "", json: undefined };
    },
    async saveSession(destination, source, expected, json) {
      const key = keyOf(destination, source);
      if ((sessions.get(key)?.version ?? "") !== expected) return false;
      sessions.set(key, { version: String(++version), json });
      return true;
    },
    async loadProfile(): Promise<Profile | undefined> {
      return undefined;
    },
    async saveProfile() {},
  };
  return {
    storage,
    stored: (chatId: string) => sessions.get(`Ubot:${chatId}`)?.json,
    writeBetween(chatId: string, json: string) {
      sessions.set(`Ubot:${chatId}`, { version: String(++version), json });
    },
  };
}

const textEvent = (text: string) =>
  ({
    type: "message",
    mode: "active",
    timestamp: Date.now(),
    webhookEventId: `01${text}`,
    source: { type: "user", userId: "Ualice" },
    replyToken: "token",
    deliveryContext: { isRedelivery: false },
    message: { id: "m1", type: "text", text, quoteToken: "q" },
  }) as unknown as WebhookEvent;

const silentResponder: Responder = {
  replyDeadline: Number.MAX_SAFE_INTEGER,
  reply: async () => ({ status: "skipped", via: "reply", reason: "standby" }),
  push: async () => ({ status: "skipped", via: "push", reason: "standby" }),
};
const quietLog = { info() {}, warn() {}, error() {}, debug() {} };

function run(
  bot: Parameters<typeof runBot>[0],
  storage: BotStorage,
  text: string,
  attempt?: number,
) {
  return runBot(bot, {
    attempt,
    destination: "Ubot",
    event: textEvent(text),
    channel: { name: "default" },
    client: {} as LineClient,
    responder: silentResponder,
    storage,
    services: {} as BotServices,
    log: quietLog,
  });
}

const counter = () =>
  createBot({ session: { initial: () => ({ count: 0 }) } }).onText((ctx, text) => {
    if (text === "fail") throw new Error("the handler failed");
    if (text !== "look") ctx.session.count += 1;
  });

describe("runBot's sessions, through any BotStorage", () => {
  it("saves a changed session, and only a changed one", async () => {
    const { storage, stored } = memoryStorage();
    await run(counter(), storage, "one");
    await run(counter(), storage, "two");
    expect(stored("Ualice")).toBe('{"count":2}');
    const saves: string[] = [];
    const watched: BotStorage = {
      ...storage,
      saveSession: async (...args) => {
        saves.push(args[3]);
        return storage.saveSession(...args);
      },
    };
    await run(counter(), watched, "look");
    expect(saves).toEqual([]);
  });

  it("saves nothing when a handler throws", async () => {
    const { storage, stored } = memoryStorage();
    await run(counter(), storage, "one");
    await expect(run(counter(), storage, "fail")).rejects.toThrow("the handler failed");
    expect(stored("Ualice")).toBe('{"count":1}');
  });

  it("refuses to overwrite a session another event saved meanwhile", async () => {
    const memory = memoryStorage();
    const bot = createBot({ session: { initial: () => ({ count: 0 }) } }).onText((ctx) => {
      memory.writeBetween("Ualice", '{"count":41}');
      ctx.session.count += 1;
    });
    await expect(run(bot, memory.storage, "one")).rejects.toBeInstanceOf(SessionConflictError);
    expect(memory.stored("Ualice")).toBe('{"count":41}');
  });
});

describe("runBot and the bot's error hook", () => {
  it("saves nothing when the hook handled a handler's error, and does not throw", async () => {
    const { storage, stored } = memoryStorage();
    const caught: string[] = [];
    const bot = counter().catch((error) => void caught.push((error as Error).message));
    await run(bot, storage, "one");
    await run(bot, storage, "fail");
    expect(caught).toEqual(["the handler failed"]);
    expect(stored("Ualice")).toBe('{"count":1}');
  });

  it("hands the runtime's attempt number to the context (1 when it gives none)", async () => {
    const { storage } = memoryStorage();
    const attempts: number[] = [];
    const bot = createBot().onText((ctx) => void attempts.push(ctx.attempt));
    await run(bot, storage, "a");
    await run(bot, storage, "b", 4);
    expect(attempts).toEqual([1, 4]);
  });
});
